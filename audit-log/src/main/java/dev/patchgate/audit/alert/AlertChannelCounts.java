package dev.patchgate.audit.alert;

/**
 * What one alert channel has done since start, for metrics.
 *
 * @param channel the channel's name: {@code syslog}, {@code webhook} or {@code log}
 * @param sent alerts delivered
 * @param retried failed attempts that were followed by another
 * @param failed alerts given up after their last attempt (or unsent at shutdown)
 * @param dropped alerts refused because the channel's queue was full
 */
public record AlertChannelCounts(
    String channel, long sent, long retried, long failed, long dropped) {}
