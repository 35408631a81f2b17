package dev.patchgate.audit.alert;

/**
 * Alerts go to the gateway's own log, as SLF4J warnings of the logger {@value LogChannel#LOGGER}.
 */
public record LogSettings() implements AlertChannelSettings {}
