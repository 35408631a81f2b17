package dev.patchgate.proxy.tunnel;

import static dev.patchgate.proxy.TlsHellos.concat;
import static dev.patchgate.proxy.TlsHellos.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.proxy.TlsHellos;
import dev.patchgate.proxy.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's decisions on a tunnel's bytes in both directions: the client's reads and the server's
 * writes, as LittleProxy passes them through the client pipeline.
 */
class SniGateTest {
  private static final String HOST = "updates.example.test";
  private static final byte[] HELLO = TlsHellos.hello().serverName(HOST).record();
  private static final byte[] OTHER_HELLO =
      TlsHellos.hello().serverName("fronted.example.net").record();
  private static final byte[] RETRY = TlsHellos.serverHello(true);
  private static final byte[] SERVER_HELLO = TlsHellos.serverHello(false);
  private static final byte[] CHANGE_CIPHER_SPEC =
      record(TlsHellos.CHANGE_CIPHER_SPEC, new byte[] {1});

  private final Exchange exchange =
      new Exchange("t-1", Instant.EPOCH, 0, "127.0.0.1", "CONNECT", HOST + ":443", false);
  private final EmbeddedChannel channel = new EmbeddedChannel(new SniGate(exchange, HOST, false));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aHelloNamingTheHostIsRelayedAndARealServerHelloTakesTheGateOut() {
    fromClient(HELLO);
    assertThat(relayedToServer()).isEqualTo(HELLO);
    assertThat(gateInPlace()).isTrue();

    fromServer(SERVER_HELLO);

    assertThat(relayedToClient()).isEqualTo(SERVER_HELLO);
    assertThat(gateInPlace()).as("the tunnel's hot path runs without the gate").isFalse();
    assertThat(refusal()).isNull();
  }

  @Test
  void aSecondHelloNamingAnotherServerAfterARetryClosesTheTunnel() {
    fromClient(HELLO);
    relayedToServer();
    fromServer(concat(RETRY, CHANGE_CIPHER_SPEC));
    assertThat(relayedToClient()).isEqualTo(concat(RETRY, CHANGE_CIPHER_SPEC));

    fromClient(concat(CHANGE_CIPHER_SPEC, OTHER_HELLO));

    assertThat(relayedToServer())
        .as("the compatibility change_cipher_spec, not the hello")
        .isEqualTo(CHANGE_CIPHER_SPEC);
    assertThat(channel.isOpen()).isFalse();
    assertThat(audited().decision()).isEqualTo(AuditDecision.DENY);
    assertThat(refusal()).isEqualTo(SniGate.MISMATCH);
  }

  @Test
  void aSecondHelloNamingTheHostAfterARetryIsRelayedAndTheServerHelloTakesTheGateOut() {
    fromClient(HELLO);
    fromServer(RETRY);
    byte[] second = TlsHellos.hello().serverName(HOST).records(64);

    fromClient(concat(CHANGE_CIPHER_SPEC, second));
    fromServer(SERVER_HELLO);

    assertThat(relayedToServer()).isEqualTo(concat(HELLO, CHANGE_CIPHER_SPEC, second));
    assertThat(relayedToClient()).isEqualTo(concat(RETRY, SERVER_HELLO));
    assertThat(gateInPlace()).isFalse();
    assertThat(refusal()).isNull();
  }

  @Test
  void aSecondHelloSentBeforeTheServerAnsweredIsCheckedToo() {
    // The client need not wait for the retry: until the server has chosen, every hello counts.
    fromClient(concat(HELLO, CHANGE_CIPHER_SPEC, OTHER_HELLO));

    assertThat(relayedToServer()).isEqualTo(concat(HELLO, CHANGE_CIPHER_SPEC));
    assertThat(channel.isOpen()).isFalse();
    assertThat(refusal()).isEqualTo(SniGate.MISMATCH);
  }

  @Test
  void aHelloWithEncryptedClientHelloIsRefusedBeforeAnyByteIsRelayed() {
    fromClient(TlsHellos.hello().serverName(HOST).encryptedClientHello().record());

    assertThat(relayedToServer()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(audited().decision()).isEqualTo(AuditDecision.DENY);
    assertThat(refusal()).isEqualTo(SniGate.ECH);
  }

  @Test
  void aSecondHelloWithEncryptedClientHelloAfterARetryIsRefused() {
    fromClient(HELLO);
    fromServer(RETRY);

    fromClient(TlsHellos.hello().serverName(HOST).encryptedClientHello().record());

    assertThat(relayedToServer()).isEqualTo(HELLO);
    assertThat(channel.isOpen()).isFalse();
    assertThat(refusal()).isEqualTo(SniGate.ECH);
  }

  @Test
  void theEchRefusalRaisesTheSniMismatchAlert() {
    fromClient(TlsHellos.hello().serverName(HOST).encryptedClientHello().record());

    assertThat(AlertRules.classify(audited())).contains(AlertKind.SNI_MISMATCH);
  }

  @Test
  void helloRecordsArrivingByteByByteAreHeldUntilTheHelloIsComplete() {
    byte[] hello = TlsHellos.hello().serverName(HOST).records(50);
    for (int i = 0; i < hello.length - 1; i++) {
      fromClient(new byte[] {hello[i]});
    }
    assertThat(relayedToServer()).isEmpty();

    fromClient(new byte[] {hello[hello.length - 1]});

    assertThat(relayedToServer()).isEqualTo(hello);
  }

  @Test
  void recordsThatAreNotHandshakesAreRelayedAsTheyComeWhileTheGateWaits() {
    fromClient(HELLO);
    byte[] earlyData = record(TlsHellos.APPLICATION_DATA, new byte[300]);
    // 0-RTT data split mid-header and mid-fragment, then the start of another record.
    fromClient(Arrays.copyOfRange(earlyData, 0, 3));
    fromClient(Arrays.copyOfRange(earlyData, 3, 100));
    byte[] soFar = relayedToServer();
    fromClient(concat(Arrays.copyOfRange(earlyData, 100, earlyData.length), new byte[] {23, 3}));

    assertThat(concat(soFar, relayedToServer())).isEqualTo(concat(HELLO, earlyData));

    fromClient(new byte[] {3, 0, 1, 9});

    assertThat(relayedToServer())
        .as("a record header is relayed once whole")
        .isEqualTo(new byte[] {23, 3, 3, 0, 1, 9});
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aServerHelloSplitOverWritesIsReadAcrossThem() {
    fromClient(HELLO);
    fromServer(Arrays.copyOf(SERVER_HELLO, 10));
    assertThat(gateInPlace()).isTrue();

    fromServer(Arrays.copyOfRange(SERVER_HELLO, 10, SERVER_HELLO.length));

    assertThat(relayedToClient()).isEqualTo(SERVER_HELLO);
    assertThat(gateInPlace()).isFalse();
  }

  @Test
  void theGateWaitsForAHalfHeldHelloBeforeLeaving() {
    fromClient(HELLO);
    fromClient(Arrays.copyOf(OTHER_HELLO, 20));
    fromServer(SERVER_HELLO);
    assertThat(gateInPlace()).as("a hello it holds is still checked").isTrue();

    fromClient(Arrays.copyOfRange(OTHER_HELLO, 20, OTHER_HELLO.length));

    assertThat(channel.isOpen()).isFalse();
    assertThat(refusal()).isEqualTo(SniGate.MISMATCH);
  }

  @Test
  void aServerThatIsNotTlsLeavesTheGateCheckingTheClient() {
    fromClient(HELLO);
    fromServer("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
    assertThat(gateInPlace()).isTrue();

    fromClient(OTHER_HELLO);

    assertThat(channel.isOpen()).isFalse();
    assertThat(refusal()).isEqualTo(SniGate.MISMATCH);
  }

  @Test
  void bytesThatAreNotTlsRecordsAfterTheHelloCloseTheTunnel() {
    fromClient(HELLO);

    fromClient("GET / HTTP/1.1\r\n\r\n".getBytes());

    assertThat(channel.isOpen()).isFalse();
    assertThat(refusal()).isEqualTo(SniGate.MALFORMED);
  }

  @Test
  void bytesStillArrivingAfterARefusalAreDroppedAndKeepTheReason() {
    // The close has not taken effect yet (a handler in front may pass on several buffers in a
    // row): here a handler that holds the close back stands for that moment.
    Exchange refused =
        new Exchange("t-3", Instant.EPOCH, 0, "127.0.0.1", "CONNECT", HOST + ":443", false);
    EmbeddedChannel tunnel =
        new EmbeddedChannel(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                promise.setSuccess();
              }
            },
            new SniGate(refused, HOST, false));
    ByteBuf late = Unpooled.wrappedBuffer("SSH-2.0-OpenSSH_9.6\r\n".getBytes());
    try {
      tunnel.writeInbound(Unpooled.wrappedBuffer(OTHER_HELLO));
      tunnel.writeInbound(late);

      assertThat(late.refCnt()).isZero();
      assertThat((Object) tunnel.readInbound()).as("relayed").isNull();
      assertThat(refused.toRecord(0, 0, 0).reason()).isEqualTo(SniGate.MISMATCH);
    } finally {
      tunnel.finishAndReleaseAll();
    }
  }

  @Test
  void theFirstBytesMustBeAHello() {
    fromClient("SSH-2.0-OpenSSH_9.6\r\n".getBytes());

    assertThat(relayedToServer()).isEmpty();
    assertThat(refusal()).isEqualTo(SniGate.NOT_TLS);
  }

  @Test
  void anAddressNeedsNoNameInEitherHello() {
    Exchange literal =
        new Exchange("t-2", Instant.EPOCH, 0, "127.0.0.1", "CONNECT", "192.0.2.7:443", false);
    EmbeddedChannel tunnel = new EmbeddedChannel(new SniGate(literal, "192.0.2.7", true));
    byte[] nameless = TlsHellos.hello().record();
    try {
      tunnel.writeInbound(Unpooled.wrappedBuffer(nameless));
      tunnel.writeOutbound(Unpooled.wrappedBuffer(RETRY));
      tunnel.writeInbound(Unpooled.wrappedBuffer(nameless));

      assertThat(tunnel.isOpen()).isTrue();
      assertThat(literal.toRecord(0, 0, 0).reason()).isNull();
    } finally {
      tunnel.finishAndReleaseAll();
    }
  }

  private void fromClient(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  private void fromServer(byte[] bytes) {
    channel.writeOutbound(Unpooled.wrappedBuffer(bytes));
  }

  private byte[] relayedToServer() {
    return drain(true);
  }

  private byte[] relayedToClient() {
    return drain(false);
  }

  private byte[] drain(boolean inbound) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buf = next(inbound); buf != null; buf = next(inbound)) {
      out.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    return out.toByteArray();
  }

  private ByteBuf next(boolean inbound) {
    return inbound ? channel.readInbound() : channel.readOutbound();
  }

  private boolean gateInPlace() {
    return channel.pipeline().get(SniGate.class) != null;
  }

  private AuditRecord audited() {
    return exchange.toRecord(0, 0, 0);
  }

  private String refusal() {
    return audited().reason();
  }
}
