package dev.twofold.deployment;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's {@code .gitignore} files, evaluated without git so the check also runs on a source
 * tarball: blank lines and {@code #} comments, {@code !} negation, a leading or inner {@code /} anchoring
 * a pattern to its file's directory, a trailing {@code /} for directories only, and {@code *}, {@code ?},
 * {@code [...]}, {@code **} wildcards; the last matching rule wins, and nothing below an ignored
 * directory can be re-included.
 */
final class GitIgnoreRules {

    private record Rule(PathMatcher matcher, boolean negated, boolean directoryOnly) {}

    private GitIgnoreRules() {}

    /** Whether git would ignore {@code relative} (a path from the repository root, {@code /}-separated). */
    static boolean ignores(String relative) {
        String[] parts = relative.split("/");
        for (int depth = 1; depth <= parts.length; depth++) {
            String prefix = String.join("/", List.of(parts).subList(0, depth));
            if (ignoredItself(prefix, depth < parts.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ignoredItself(String relative, boolean directory) {
        Boolean ignored = null;
        String[] parts = relative.split("/");
        // Rules of the root's .gitignore first, then of each deeper directory: later rules win.
        for (int level = 0; level < parts.length; level++) {
            String base = String.join("/", List.of(parts).subList(0, level));
            String below = String.join("/", List.of(parts).subList(level, parts.length));
            for (Rule rule : rulesIn(base)) {
                if ((!rule.directoryOnly() || directory) && rule.matcher().matches(Path.of(below))) {
                    ignored = !rule.negated();
                }
            }
        }
        return Boolean.TRUE.equals(ignored);
    }

    private static List<Rule> rulesIn(String directory) {
        Path file = Repository.path(directory.isEmpty() ? ".gitignore" : directory + "/.gitignore");
        List<Rule> rules = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rules;
        }
        for (String line : Repository.read(file).split("\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean negated = pattern.startsWith("!");
            pattern = negated ? pattern.substring(1) : pattern;
            boolean directoryOnly = pattern.endsWith("/");
            pattern = directoryOnly ? pattern.substring(0, pattern.length() - 1) : pattern;
            // Without a slash the pattern matches at any depth; with one it is relative to this directory.
            boolean anchored = pattern.contains("/");
            pattern = pattern.startsWith("/") ? pattern.substring(1) : pattern;
            String glob = anchored ? pattern : "{" + pattern + ",**/" + pattern + "}";
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + glob), negated, directoryOnly));
        }
        return rules;
    }
}
