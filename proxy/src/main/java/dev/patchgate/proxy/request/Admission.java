package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.Target;
import io.netty.handler.codec.http.HttpResponseStatus;

/** What the request gate concluded about a request's form, before any policy is consulted. */
sealed interface Admission {

  /** The request is well formed; {@code target} is its canonical target. */
  record Admitted(Target target) implements Admission {}

  /**
   * An origin-form GET or HEAD of {@code /proxy.pac} or {@code /wpad.dat}: the gateway answers with
   * its proxy auto-configuration file itself.
   */
  record AutoConfig() implements Admission {}

  /**
   * The request is refused for its form.
   *
   * @param status 400 or 405
   * @param reason a fixed phrase, safe to show the client and to log
   */
  record Rejected(HttpResponseStatus status, String reason) implements Admission {}
}
