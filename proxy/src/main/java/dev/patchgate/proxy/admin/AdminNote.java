package dev.patchgate.proxy.admin;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.alert.AlertRules;
import io.vertx.ext.web.RoutingContext;

/**
 * What the audit record of one admin exchange says beyond the request and the answer: whether it
 * was refused and why, the console user, and for the console's own events (sign-in, sign-out, every
 * POST) the method {@value AlertRules#CONSOLE_METHOD}. Handlers note it; the record is written
 * once, when the answer is out.
 *
 * <p>Confined to the request's event loop. Public for the console's routes.
 */
public final class AdminNote {
  private static final String KEY = "patchgate.note";

  AuditDecision decision = AuditDecision.ALLOW;
  String reason;
  String user;
  String method;

  AdminNote() {}

  /** The note of the exchange {@code ctx} carries. */
  public static AdminNote of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The exchange was refused (by client address, role, CSRF check, too many failures). */
  public AdminNote deny(String why) {
    decision = AuditDecision.DENY;
    reason = why;
    return this;
  }

  /** What happened, for an exchange that was not refused ("signed in"). */
  public AdminNote reason(String what) {
    reason = what;
    return this;
  }

  /** The console user the exchange was made by or about. */
  public AdminNote user(String name) {
    user = name;
    return this;
  }

  /** Records the exchange as a console event of its own (method {@code CONSOLE}). */
  public AdminNote consoleEvent() {
    method = AlertRules.CONSOLE_METHOD;
    return this;
  }
}
