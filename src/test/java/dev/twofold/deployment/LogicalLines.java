package dev.twofold.deployment;

import java.util.ArrayList;
import java.util.List;

/** Config-file lines as their parsers see them: a trailing backslash continues a line; blank and comment lines are skipped. */
final class LogicalLines {

    /** One logical line and the physical line it starts on (from 1). */
    record Line(int number, String text) {}

    private LogicalLines() {}

    static List<Line> of(String text, String commentStarts, String fileForErrors) {
        List<Line> lines = new ArrayList<>();
        String[] physical = text.split("\n", -1);
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int i = 0; i < physical.length; i++) {
            String line = physical[i].strip();
            if (line.isEmpty() || commentStarts.indexOf(line.charAt(0)) >= 0) {
                continue;
            }
            if (pending.isEmpty()) {
                start = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            lines.add(new Line(start, pending.toString().strip()));
            pending.setLength(0);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(fileForErrors + " ends inside a continued line");
        }
        return lines;
    }
}
