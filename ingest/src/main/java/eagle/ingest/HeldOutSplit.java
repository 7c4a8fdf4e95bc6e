package eagle.ingest;

import eagle.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which images are held out of training (docs/METHOD.md §6): image {@code id} is held out iff u(id)
 * &lt; fraction, u(id) = the first 53 bits of SHA-256(UTF-8 id) as a number in [0, 1). The decision
 * depends on the id alone, so an image goes the same way across restarts, re-annotations and
 * retractions (its tombstone follows its samples), and on every machine; a held-out image's samples
 * go to {@link Topics#HELD_OUT_SAMPLES}, never to {@link Topics#SAMPLES}, so the trainer never sees
 * it.
 *
 * @param fraction share of images held out, in [0, 1] (0 = none)
 */
public record HeldOutSplit(double fraction) {

    public HeldOutSplit {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    "the held-out fraction must be in [0, 1], got " + fraction);
        }
    }

    /** Whether the image is held out. */
    public boolean heldOut(String imageId) {
        return fraction > 0 && unit(imageId) < fraction;
    }

    /** The topic the image's samples and tombstones go to. */
    public String topicOf(String imageId) {
        return heldOut(imageId) ? Topics.HELD_OUT_SAMPLES : Topics.SAMPLES;
    }

    /** u(id) in [0, 1). */
    static double unit(String imageId) {
        byte[] h;
        try {
            h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(imageId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return (v >>> 11) * 0x1.0p-53;
    }
}
