package dev.patchgate.allowlist;

/**
 * Why a request-target or host was refused. An enum rather than free text so that no reason phrase
 * can ever carry client input into a response or a log line.
 */
enum TargetFault {
  MALFORMED("malformed URL"),
  ORIGIN_FORM("origin-form request; configure patchgate as a proxy"),
  HTTPS_IN_PLAIN_TEXT("https URL sent in plain text; use CONNECT"),
  CONTROL_CHARACTER("whitespace or control character not allowed"),
  FRAGMENT("fragment not allowed"),
  USERINFO("userinfo not allowed in URL"),
  BACKSLASH("backslash not allowed"),
  PERCENT_IN_HOST("percent-encoding not allowed in host"),
  NON_ASCII_HOST("non-ASCII host; use the punycode (xn--) form"),
  ALTERNATE_IPV4("alternate IPv4 notation not allowed"),
  IPV6_ZONE_ID("IPv6 zone ID not allowed"),
  INVALID_HOST("invalid host"),
  INVALID_PORT("invalid port"),
  CONNECT_WITHOUT_PORT("CONNECT needs an explicit port"),
  NON_ASCII_PATH("non-ASCII character in path"),
  DOT_SEGMENT("dot-segment in path"),
  ENCODED_SEPARATOR("percent-encoded '.', '/' or '\\' in path"),
  BAD_PERCENT_ENCODING("malformed percent-encoding in path");

  final String reason;

  TargetFault(String reason) {
    this.reason = reason;
  }
}
