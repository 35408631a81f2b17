package dev.patchgate.mirror;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The store's meters.
 *
 * <ul>
 *   <li>{@code patchgate.mirror.lookups{result}}: the store's own lookups, {@code hit} for each
 *       object served ({@link StoredObject#touch()}) and {@code miss} for each lookup that found
 *       nothing. A client's answer may take several (a follower, a range piece); the gateway counts
 *       hits and misses per answer itself
 *   <li>{@code patchgate.mirror.fills{result}}: fills by outcome ({@link FillOutcome#wireName()}),
 *       including leases refused with {@code disk_full}, {@code closed} or {@code unread_limit} (a
 *       client's range passed through because it has too many fills nobody reads)
 *   <li>{@code patchgate.mirror.evictions{cause}}: objects deleted for {@code size} (over max-size)
 *       , {@code space} (disk nearly full for the mirror's own floor) or {@code audit} (given back
 *       to the audit log on the same file system, {@link MirrorStore#freeSpace})
 *   <li>{@code patchgate.mirror.integrity.failures{stage}}: SHA-1 mismatches at {@code fill},
 *       damaged objects found by {@code verify} or when a small object is {@code read} into memory
 *   <li>{@code patchgate.mirror.errors{op}}: failed side work (commit, delete, meta write, a
 *       follower's callback), caught and counted
 *   <li>gauges {@code patchgate.mirror.stored.bytes}, {@code patchgate.mirror.objects}, {@code
 *       patchgate.mirror.fills.active}, {@code patchgate.mirror.fills.unread} (fills receiving with
 *       nobody reading them), {@code patchgate.mirror.memory.bytes} (small objects also held in
 *       memory)
 * </ul>
 */
final class MirrorMetrics {
  static final String LOOKUPS = "patchgate.mirror.lookups";
  static final String EVICTIONS = "patchgate.mirror.evictions";
  private static final List<String> EVICTION_CAUSES = List.of("size", "space", "audit");

  private final MeterRegistry registry;
  private final Counter hits;
  private final Counter misses;
  private final Map<FillOutcome, Counter> fills = new EnumMap<>(FillOutcome.class);

  MirrorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.hits = Counter.builder(LOOKUPS).tag("result", "hit").register(registry);
    this.misses = Counter.builder(LOOKUPS).tag("result", "miss").register(registry);
    // Registered before the first eviction, so that a dashboard's rate() shows 0 instead of
    // nothing.
    for (String cause : EVICTION_CAUSES) {
      registry.counter(EVICTIONS, "cause", cause);
    }
    for (FillOutcome o : FillOutcome.values()) {
      if (o != FillOutcome.COMMITTING) {
        fills.put(
            o,
            Counter.builder("patchgate.mirror.fills")
                .tag("result", o.wireName())
                .register(registry));
      }
    }
  }

  <T> void gauges(
      T store,
      ToDoubleFunction<T> bytes,
      ToDoubleFunction<T> objects,
      ToDoubleFunction<T> active,
      ToDoubleFunction<T> unread,
      ToDoubleFunction<T> memory) {
    Gauge.builder("patchgate.mirror.stored.bytes", store, bytes)
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("patchgate.mirror.objects", store, objects).register(registry);
    Gauge.builder("patchgate.mirror.fills.active", store, active).register(registry);
    Gauge.builder("patchgate.mirror.fills.unread", store, unread).register(registry);
    Gauge.builder("patchgate.mirror.memory.bytes", store, memory)
        .baseUnit("bytes")
        .register(registry);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void fill(FillOutcome outcome) {
    Counter c = fills.get(outcome);
    if (c != null) {
      c.increment();
    }
  }

  void eviction(String cause) {
    registry.counter(EVICTIONS, "cause", cause).increment();
  }

  void integrityFailure(String stage) {
    registry.counter("patchgate.mirror.integrity.failures", "stage", stage).increment();
  }

  void error(String op) {
    registry.counter("patchgate.mirror.errors", "op", op).increment();
  }
}
