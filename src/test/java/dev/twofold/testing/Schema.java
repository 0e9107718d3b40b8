package dev.twofold.testing;

import java.util.Collections;
import java.util.List;

/**
 * Twofold's tables and columns as the test database's catalog lists them (Flyway's own history
 * left out), so a check meant to span every table also covers one added later without being touched.
 */
public final class Schema {

    private static final String TWOFOLDS_OWN =
            "table_schema = current_schema() and table_name <> 'flyway_schema_history'";

    private Schema() {}

    /** A column of a table, by name. */
    public record Column(String table, String name) {

        @Override
        public String toString() {
            return table + "." + name;
        }
    }

    /** Every table, by name. */
    public static List<String> tables() {
        return Jdbc.query("select table_name from information_schema.tables where " + TWOFOLDS_OWN
                        + " and table_type = 'BASE TABLE' order by table_name")
                .stream()
                .map(row -> (String) row[0])
                .toList();
    }

    /** Every column whose type is one of {@code dataTypes}, as information_schema spells them (e.g. {@code text}). */
    public static List<Column> columnsOfType(String... dataTypes) {
        return Jdbc.query(
                        "select table_name, column_name from information_schema.columns where " + TWOFOLDS_OWN
                                + " and data_type in (" + String.join(", ", Collections.nCopies(dataTypes.length, "?"))
                                + ") order by table_name, column_name",
                        (Object[]) dataTypes)
                .stream()
                .map(row -> new Column((String) row[0], (String) row[1]))
                .toList();
    }
}
