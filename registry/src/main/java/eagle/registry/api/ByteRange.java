package eagle.registry.api;

import java.util.Optional;

/**
 * A single HTTP byte range (RFC 9110 §14.1.2) resolved against a representation of {@code size} bytes:
 * bytes {@code first..last}, both inclusive.
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Thrown for a syntactically valid range that selects no byte of the representation (416). */
    public static final class Unsatisfiable extends RuntimeException {
        public Unsatisfiable(String message) {
            super(message);
        }
    }

    /**
     * Parses a {@code Range} header. Returns empty when the header is absent, not a {@code bytes} range, or
     * asks for several ranges (the whole representation is then served, as RFC 9110 allows).
     *
     * @throws Unsatisfiable when the range starts beyond the end (or the representation is empty)
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix range: the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    throw new Unsatisfiable("suffix range of " + n + " bytes of a " + size + "-byte artifact");
                }
                return Optional.of(new ByteRange(Math.max(0, size - n), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return Optional.empty(); // invalid syntax: ignore the header
            }
            if (first >= size) {
                throw new Unsatisfiable("range starts at " + first + " but the artifact has " + size + " bytes");
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
