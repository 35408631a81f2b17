package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashChainTest {
  private static final byte[] BODY =
      "{\"ts\":\"2026-11-23T10:15:30.123Z\",\"type\":\"start\"".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSealedLineIsTheBodyThenSeqThenHashAsTheFormatContractSays() throws Exception {
    HashChain.Sealed line = HashChain.empty().next(BODY);

    String text = new String(line.bytes(), StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith(new String(BODY, StandardCharsets.UTF_8) + ",\"seq\":1,\"hash\":\"");
    assertThat(text).endsWith("\"}\n");
    // Recomputed the way a reader of the contract would: SHA-256(prev hex + line without hash + })
    String withoutHash = text.substring(0, text.indexOf(",\"hash\":")) + "}";
    String expected = sha256Hex("0".repeat(64) + withoutHash);
    assertThat(line.hash()).isEqualTo(expected);
    assertThat(text).contains("\"hash\":\"" + expected + "\"");
  }

  @Test
  void eachLineChainsToThePreviousLinesHash() throws Exception {
    HashChain chain = HashChain.empty();
    HashChain.Sealed first = chain.next(BODY);
    chain.advanceTo(first);

    HashChain.Sealed second = chain.next(BODY);

    assertThat(second.seq()).isEqualTo(2);
    String text = new String(second.bytes(), StandardCharsets.UTF_8);
    String withoutHash = text.substring(0, text.indexOf(",\"hash\":")) + "}";
    assertThat(second.hash()).isEqualTo(sha256Hex(first.hash() + withoutHash));
  }

  @Test
  void sealingTentativelyAfterAnUncommittedLineGivesWhatCommittingWouldGive() {
    HashChain chain = HashChain.empty();
    HashChain.Sealed first = chain.next(BODY);
    HashChain.Sealed tentative = chain.after(first, BODY);

    chain.advanceTo(first);

    assertThat(chain.next(BODY).bytes()).isEqualTo(tentative.bytes());
  }

  @Test
  void aSealedLineReadsBackWithItsSeqHashAndCanonicalForm() {
    HashChain.Sealed sealed = HashChain.empty().next(BODY);
    byte[] withoutNewline = Arrays.copyOf(sealed.bytes(), sealed.bytes().length - 1);

    ChainedLine line = ChainedLine.parse(withoutNewline);

    assertThat(line.seq()).isEqualTo(1);
    assertThat(line.hash()).isEqualTo(sealed.hash());
    assertThat(line.type()).isEqualTo("start");
    assertThat(new String(line.canonical(), StandardCharsets.UTF_8))
        .isEqualTo(new String(BODY, StandardCharsets.UTF_8) + ",\"seq\":1}");
    assertThat(line.fields()).containsKeys("ts", "type", "seq", "hash");
  }

  @Test
  void aLineWithoutSeqAndHashAtTheEndIsNotAChainedLine() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("{\"ts\":\"x\",\"seq\":1}"))
        .withMessageContaining("seq and hash");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("{\"hash\":\"" + "a".repeat(64) + "\",\"seq\":1}"))
        .withMessageContaining("seq and hash");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("{\"ts\":\"x\",\"seq\":1,\"hash\":\"ABC\"}"))
        .withMessageContaining("hex");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("{\"ts\":\"x\",\"seq\":0,\"hash\":\"" + "a".repeat(64) + "\"}"))
        .withMessageContaining("positive");
  }

  @Test
  void aHashWrittenWithEscapesIsRefusedBecauseTheHashWouldCoverOtherBytes() {
    String escapedA = "\\u0061";
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> parse("{\"ts\":\"x\",\"seq\":1,\"hash\":\"" + escapedA + "a".repeat(63) + "\"}"))
        .withMessageContaining("plain form");
  }

  @Test
  void invalidUtf8IsNotAChainedLine() {
    byte[] line = "{\"ts\":\"\u00e9\",\"seq\":1}".getBytes(StandardCharsets.UTF_8);
    line[8] = (byte) 0xff;

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ChainedLine.parse(line))
        .withMessage("not UTF-8");
  }

  @Test
  void markerBodiesCarryTheirFieldsInOrder() {
    HashChain chain = HashChain.empty();
    byte[] gap =
        AuditMarkers.tornGap(AuditRecords.ARRIVED, AuditMarkers.TORN_AT_START, 12, "ab".repeat(32));

    Map<String, Object> fields = parse(chain.next(gap).bytes()).fields();

    assertThat(fields.keySet())
        .containsExactly("ts", "type", "reason", "torn_bytes", "torn_sha256", "seq", "hash");
    assertThat(fields)
        .containsEntry("type", "gap")
        .containsEntry("reason", "torn last line after an unclean stop")
        .containsEntry("torn_bytes", 12L);
  }

  private static ChainedLine parse(String line) {
    return ChainedLine.parse(line.getBytes(StandardCharsets.UTF_8));
  }

  private static ChainedLine parse(byte[] lineWithNewline) {
    return ChainedLine.parse(Arrays.copyOf(lineWithNewline, lineWithNewline.length - 1));
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
