package dev.patchgate.audit.alert;

/** The settings of one alert channel: syslog, webhook or the gateway's own log. */
public sealed interface AlertChannelSettings permits SyslogSettings, WebhookSettings, LogSettings {}
