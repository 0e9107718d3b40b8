package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link KeyedTable} the features provide, in a fixed order (sealed seeds, then lookup rows by
 * {@link LookupTable.Lookup}), with the rows each still needs per key.
 */
@ApplicationScoped
class KeyedRows {

    private final List<KeyedTable> all;
    private final List<LookupTable> lookups;

    KeyedRows(Instance<KeyedTable> tables) {
        this.all = tables.stream().sorted(Comparator.comparing(KeyedRows::rank)).toList();
        this.lookups = all.stream()
                .filter(LookupTable.class::isInstance)
                .map(LookupTable.class::cast)
                .toList();
    }

    List<KeyedTable> all() {
        return all;
    }

    List<LookupTable> lookups() {
        return lookups;
    }

    /** Per table (by label, in this order), usable rows by the id of the key they need. */
    Uni<Map<String, Map<Optional<String>, Long>>> usableByKey(List<? extends KeyedTable> tables, Instant now) {
        Map<String, Map<Optional<String>, Long>> counts = new LinkedHashMap<>();
        Uni<Void> each = Uni.createFrom().voidItem();
        for (KeyedTable table : tables) {
            each = each.call(() -> table.usableByKey(now).invoke(byKey -> counts.put(table.label(), byKey)));
        }
        return each.replaceWith(counts);
    }

    /** Gives the active key to lookup rows without a key id; only sound when no other key can have made them. */
    Uni<Void> assignUnrecorded(String activeKeyId) {
        Uni<Void> each = Uni.createFrom().voidItem();
        for (LookupTable table : lookups) {
            each = each.call(() -> table.assignUnrecorded(activeKeyId));
        }
        return each;
    }

    private static String rank(KeyedTable table) {
        return table instanceof LookupTable lookup ? "1-" + lookup.lookup().ordinal() : "0-" + table.label();
    }
}
