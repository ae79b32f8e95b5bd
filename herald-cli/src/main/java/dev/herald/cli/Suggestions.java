package dev.herald.cli;

import java.util.Collection;

/** "Did you mean" hints for misspelt keys and variable names. Stateless and thread-safe. */
final class Suggestions {

    /** Most edits (insertions, deletions, substitutions) between a misspelling and the name it suggests. */
    static final int MAX_DISTANCE = 2;

    private Suggestions() {
    }

    /** {@code " (did you mean NAME?)"} for the closest of {@code known}, or empty when none is close. */
    static String didYouMean(String name, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance, capped: anything above {@link #MAX_DISTANCE} counts as {@code MAX_DISTANCE + 1}. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > MAX_DISTANCE) {
            return MAX_DISTANCE + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], MAX_DISTANCE + 1);
    }
}
