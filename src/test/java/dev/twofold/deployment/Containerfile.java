package dev.twofold.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Containerfile (Dockerfile syntax) as a list of instructions, continuation lines joined, comments dropped. */
record Containerfile(List<Instruction> instructions) {

    /** One instruction, e.g. {@code COPY --from=build a b}; {@code stage} counts FROM lines from 0. */
    record Instruction(String keyword, String arguments, int stage, int line) {}

    static Containerfile parse(String relative) {
        List<Instruction> instructions = new ArrayList<>();
        int stage = -1;
        for (LogicalLines.Line line : LogicalLines.of(Repository.read(relative), "#", relative)) {
            String[] parts = line.text().split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(keyword, parts.length > 1 ? parts[1].strip() : "", stage, line.number()));
        }
        return new Containerfile(List.copyOf(instructions));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    int lastStage() {
        return instructions.stream().mapToInt(Instruction::stage).max().orElse(-1);
    }

    List<Instruction> inStage(int stage, String keyword) {
        return all(keyword).stream().filter(i -> i.stage() == stage).toList();
    }
}
