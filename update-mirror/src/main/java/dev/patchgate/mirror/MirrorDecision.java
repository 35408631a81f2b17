package dev.patchgate.mirror;

import java.util.List;
import java.util.Objects;

/**
 * The strategy's answer for one request.
 *
 * @param action what to do
 * @param reason a fixed phrase saying why, for logs and tests (never built from request data)
 * @param conditionalHeaders for {@link MirrorAction#REVALIDATE}: the {@code If-None-Match} and/or
 *     {@code If-Modified-Since} fields to send upstream in place of the client's; else empty
 * @param ranged whether the client asked for a range; with {@link MirrorAction#FILL} the proxy
 *     answers the range at once (from the fill when {@link MirrorStrategy#rangeFromFill} says so,
 *     else forwarded) and fetches the whole object in the background
 */
public record MirrorDecision(
    MirrorAction action, String reason, List<HeaderField> conditionalHeaders, boolean ranged) {
  public MirrorDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    conditionalHeaders = List.copyOf(conditionalHeaders);
  }

  static MirrorDecision of(MirrorAction action, String reason) {
    return new MirrorDecision(action, reason, List.of(), false);
  }
}
