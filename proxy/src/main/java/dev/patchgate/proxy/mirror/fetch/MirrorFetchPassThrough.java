package dev.patchgate.proxy.mirror.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Receives a fetched response that the mirror does not store (not a 200, {@code no-store}, too
 * large, disk full), so that the one client that triggered the fetch still gets its answer; the
 * fill's followers see it aborted and fall back on their own.
 *
 * <p>Calls come on the fetch's upstream event loop, one at a time, in this order: {@link #onHead}
 * once, {@link #onContent} any number of times, then exactly one of {@link #onEnd} or {@link
 * #onError}. Nothing is called when the response is stored or revalidated (followers serve it),
 * when the answer is a {@code 1xx} other than {@code 100} (final: the fill is aborted with {@code
 * SWITCHED_PROTOCOLS}), or when the fetch fails before a response head arrived (the fetch's outcome
 * says why). Callbacks must not block; one that throws cancels the fetch (and gets no {@link
 * #onError}).
 *
 * <p>Public for the mirror, whose hand-over receives the answer.
 */
public interface MirrorFetchPassThrough {
  /**
   * Nobody waits for the response: one that is not stored is dropped and its connection closed. For
   * background fills (a ranged request answered otherwise).
   */
  MirrorFetchPassThrough NOBODY =
      new MirrorFetchPassThrough() {
        @Override
        public void onHead(HttpResponse head) {}

        @Override
        public boolean onContent(ByteBuf content) {
          content.release();
          return true;
        }

        @Override
        public void onEnd() {}

        @Override
        public void onError(Throwable cause) {}
      };

  /**
   * The response head, a copy without hop-by-hop fields; the framing fields ({@code
   * Content-Length}, {@code Transfer-Encoding}) are kept as the upstream sent them. The consumer
   * may {@link MirrorFetch#cancel()} here, e.g. to serve a stale copy instead of a 5xx.
   */
  void onHead(HttpResponse head);

  /**
   * Body bytes, never empty. Ownership passes to the consumer, which releases them (once), whatever
   * it returns or throws.
   *
   * @return true to go on reading; false to stop reading the upstream until {@link
   *     MirrorFetch#resume()} (e.g. the client channel is not writable). Chunks already decoded may
   *     still arrive after a false.
   */
  boolean onContent(ByteBuf content);

  /** The body ended cleanly; trailers, if any, are dropped. */
  void onEnd();

  /**
   * The body was cut short (reset, timeout, malformed, or cancelled by the gateway's shutdown): the
   * consumer must not let its client take what it got for a complete response.
   */
  void onError(Throwable cause);
}
