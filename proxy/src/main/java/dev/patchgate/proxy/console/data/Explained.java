package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Explanation;
import dev.patchgate.allowlist.Target;
import dev.patchgate.allowlist.TargetException;
import dev.patchgate.allowlist.TargetParser;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the allowlist says about one request, and why, as {@code patchgate explain} prints it: the
 * entry that allows it, or the one that came closest and what differed; or why the gateway answers
 * before the allowlist is asked (405 for another method, 400 for a target it cannot parse).
 *
 * @param allowed whether the request would pass
 * @param lines the explanation, one line each, without indentation
 * @param target the parsed request target, or empty when the gateway refuses it before deciding
 * @param decision the allowlist's decision, or empty when it was not asked
 */
public record Explained(
    boolean allowed, List<String> lines, Optional<Target> target, Optional<Decision> decision) {

  /** Copies the list. */
  public Explained {
    lines = List.copyOf(lines);
  }

  /**
   * Explains {@code method target} from {@code client} at {@code at}. Pure: nothing is resolved or
   * dialled; slower than deciding (every entry is looked at).
   *
   * @param method GET, HEAD or CONNECT; another is refused as the gateway refuses it
   * @param target an absolute URL, or {@code host:port} for CONNECT
   */
  public static Explained of(
      Allowlist allowlist, InetAddress client, String method, String target, Instant at) {
    boolean connect = method.equals("CONNECT");
    String label = "request: " + method + " " + target;
    if (!connect && !method.equals("GET") && !method.equals("HEAD")) {
      return new Explained(
          false,
          List.of(label, "the gateway answers 405: it forwards only GET, HEAD and CONNECT"),
          Optional.empty(),
          Optional.empty());
    }
    Target parsed;
    try {
      parsed = connect ? TargetParser.parseConnect(target) : TargetParser.parseAbsolute(target);
    } catch (TargetException e) {
      return new Explained(
          false,
          List.of(label, "the gateway answers 400 before the allowlist is asked: " + e.reason()),
          Optional.empty(),
          Optional.empty());
    }
    Explanation explanation = allowlist.explain(new AccessRequest(client, method, parsed, at));
    return new Explained(
        explanation.decision().allowed(),
        explanation.lines(),
        Optional.of(parsed),
        Optional.of(explanation.decision()));
  }
}
