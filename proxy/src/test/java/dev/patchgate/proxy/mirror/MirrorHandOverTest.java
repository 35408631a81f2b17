package dev.patchgate.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over's decisions on an {@link EmbeddedChannel}: when the client's fallback goes on, when
 * the fetched answer is passed on, and when a stale copy stands in for it. The fetch's callbacks
 * are called here directly, as the fetch's loop would.
 */
class MirrorHandOverTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final RecordingClient client = new RecordingClient();
  private final List<String> fallbacks = new ArrayList<>();

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aFetchThatCouldNotStartLetsALaterFallbackGoOnAtOnce() {
    MirrorHandOver handOver = handOver(false);

    handOver.notStarted();
    handOver.afterFallback(() -> fallbacks.add("fallback"));

    assertThat(fallbacks).containsExactly("fallback");
  }

  @Test
  void aFallbackWaitsForTheFetchAndGoesOnWhenItEndsWithoutAnAnswer() {
    MirrorHandOver handOver = handOver(false);

    handOver.afterFallback(() -> fallbacks.add("fallback"));
    assertThat(fallbacks).as("the fetch may still pass an answer on").isEmpty();

    handOver.notStarted();
    assertThat(fallbacks).containsExactly("fallback");
  }

  @Test
  void anAnswerTheMirrorDoesNotKeepGoesToTheClientAndTheFallbackIsDropped() {
    MirrorHandOver handOver = handOver(false);

    handOver.onHead(head(HttpResponseStatus.NOT_FOUND));
    channel.runPendingTasks();
    handOver.onContent(Unpooled.copiedBuffer("gone", StandardCharsets.US_ASCII));
    handOver.onEnd();
    channel.runPendingTasks();
    handOver.afterFallback(() -> fallbacks.add("fallback"));

    HttpResponse head = channel.readOutbound();
    assertThat(head.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(head.headers().get(MirrorReplies.X_CACHE)).isEqualTo(MirrorReplies.MISS);
    HttpContent body = channel.readOutbound();
    assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("gone");
    body.release();
    assertThat((Object) channel.readOutbound()).isInstanceOf(LastHttpContent.class);
    assertThat(client.events).containsExactly("passing", "answered");
    assertThat(fallbacks).isEmpty();
  }

  @Test
  void aServerErrorToARevalidationIsReplacedByTheStaleCopy() {
    MirrorHandOver handOver = handOver(true);

    handOver.onHead(head(HttpResponseStatus.SERVICE_UNAVAILABLE));
    ByteBuf ignored = Unpooled.copiedBuffer("busy", StandardCharsets.US_ASCII);
    handOver.onContent(ignored);
    handOver.onEnd();
    channel.runPendingTasks();

    assertThat(client.events).containsExactly("serveStale");
    assertThat((Object) channel.readOutbound())
        .as("nothing of the 503 reaches the client")
        .isNull();
    assertThat(ignored.refCnt()).isZero();
  }

  @Test
  void aServerErrorWithNoStoredCopyIsPassedOn() {
    MirrorHandOver handOver = handOver(false);

    handOver.onHead(head(HttpResponseStatus.SERVICE_UNAVAILABLE));
    channel.runPendingTasks();
    handOver.onContent(Unpooled.copiedBuffer("busy", StandardCharsets.US_ASCII));
    handOver.onEnd();
    channel.runPendingTasks();

    HttpResponse head = channel.readOutbound();
    assertThat(head.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(client.events).containsExactly("passing", "answered");
  }

  @Test
  void anAnswerCutShortClosesTheConnectionSoItCannotLookComplete() {
    MirrorHandOver handOver = handOver(false);

    handOver.onHead(head(HttpResponseStatus.NOT_FOUND));
    handOver.onError(new IOException("reset"));
    channel.runPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(client.events).containsExactly("passing", "broken");
  }

  private MirrorHandOver handOver(boolean staleAllowed) {
    return new MirrorHandOver(channel.pipeline().firstContext(), true, staleAllowed, client);
  }

  private static HttpResponse head(HttpResponseStatus status) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    head.headers().set("Content-Length", 4);
    return head;
  }

  private static final class RecordingClient implements MirrorHandOver.Client {
    final List<String> events = new ArrayList<>();

    @Override
    public void passing(HttpResponse head) {
      events.add("passing");
    }

    @Override
    public void answered() {
      events.add("answered");
    }

    @Override
    public void broken() {
      events.add("broken");
    }

    @Override
    public void serveStale() {
      events.add("serveStale");
    }
  }
}
