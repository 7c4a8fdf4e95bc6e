package eagle.core.mask;

import java.util.Arrays;

/**
 * Whether an instance mask can be pooled by masked average pooling (docs/METHOD.md §2), and why
 * not: the image goes through CLIP's resize (shortest side to S) and centre crop (S × S) before the
 * patches are cut, so part or all of a mask can fall outside what the encoder sees. Pooling needs
 * at least one patch with coverage a_p &gt; 0 (then the τ-or-largest-overlap rule always selects a
 * patch); a caller that cannot pool an instance skips and counts it by its {@link Reason} instead
 * of failing (docs/METHOD.md §4).
 *
 * <p>Checks, in order: the mask has the image's size ({@link Reason#UNUSABLE_SIZE_MISMATCH}), a
 * pixel is set ({@link Reason#UNUSABLE_EMPTY}), some patch is covered after the crop ({@link
 * Reason#UNUSABLE_CROPPED_AWAY}), the covered area Σ_p a_p reaches the minimum, in patches ({@link
 * Reason#UNUSABLE_TOO_SMALL}; the default minimum 0 is the paper's "any overlap").
 *
 * @param reason why the instance cannot be pooled, or null when it can
 * @param coverage a_p per patch (P, row-major as {@link PatchCoverage#of}) when it was computed
 *     (the instance is usable, cropped away or too small), else null
 */
public record PoolingEligibility(Reason reason, float[] coverage) {

    /** Why an instance cannot be pooled. */
    public enum Reason {
        /** The mask's height and width are not the image's. */
        UNUSABLE_SIZE_MISMATCH("size_mismatch"),
        /** No pixel of the mask is set. */
        UNUSABLE_EMPTY("empty"),
        /** Every set pixel lies outside the centre crop, so no patch is covered. */
        UNUSABLE_CROPPED_AWAY("cropped_away"),
        /** The area left inside the crop, Σ_p a_p, is below the required minimum. */
        UNUSABLE_TOO_SMALL("too_small");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** A short lower-case code, e.g. for a metric label: {@code cropped_away}. */
        public String code() {
            return code;
        }
    }

    /** Whether masked average pooling can use the instance. */
    public boolean usable() {
        return reason == null;
    }

    /**
     * The verdict for one instance with the paper's rule (any covered patch suffices).
     *
     * @param mask the instance's mask at the image's resolution
     * @param imageWidth the source image's width in pixels
     * @param imageHeight the source image's height in pixels
     * @param encoderImageSize S, the encoder's square input side
     * @param patchSize the encoder's patch side; divides S
     * @throws IllegalArgumentException for a null mask or invalid encoder sizes (a caller's error,
     *     not the data's)
     */
    public static PoolingEligibility of(
            BinaryMask mask, int imageWidth, int imageHeight, int encoderImageSize, int patchSize) {
        return of(mask, imageWidth, imageHeight, encoderImageSize, patchSize, 0.0);
    }

    /**
     * As {@link #of(BinaryMask, int, int, int, int)}, also requiring the covered area Σ_p a_p to
     * reach {@code minPatchArea} patches.
     *
     * @param minPatchArea the least covered area, in patches (0: any overlap)
     */
    public static PoolingEligibility of(
            BinaryMask mask,
            int imageWidth,
            int imageHeight,
            int encoderImageSize,
            int patchSize,
            double minPatchArea) {
        if (mask == null) {
            throw new IllegalArgumentException("mask is null");
        }
        if (mask.width() != imageWidth || mask.height() != imageHeight) {
            return new PoolingEligibility(Reason.UNUSABLE_SIZE_MISMATCH, null);
        }
        if (mask.area() == 0) {
            return new PoolingEligibility(Reason.UNUSABLE_EMPTY, null);
        }
        return ofCoverage(PatchCoverage.of(mask, encoderImageSize, patchSize), minPatchArea);
    }

    /**
     * The verdict for coverage fractions already computed (a mask known to be non-empty).
     *
     * @param coverage a_p per patch, each in [0, 1]
     * @param minPatchArea the least covered area Σ_p a_p, in patches (0: any overlap)
     * @throws IllegalArgumentException for a negative minimum
     */
    public static PoolingEligibility ofCoverage(float[] coverage, double minPatchArea) {
        if (!(minPatchArea >= 0)) {
            throw new IllegalArgumentException(
                    "minimum patch area must be at least 0, got " + minPatchArea);
        }
        double area = 0;
        boolean covered = false;
        for (float a : coverage) {
            area += a;
            covered |= a > 0f;
        }
        if (!covered) {
            return new PoolingEligibility(Reason.UNUSABLE_CROPPED_AWAY, coverage);
        }
        if (area < minPatchArea) {
            return new PoolingEligibility(Reason.UNUSABLE_TOO_SMALL, coverage);
        }
        return new PoolingEligibility(null, coverage);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolingEligibility other
                && reason == other.reason
                && Arrays.equals(coverage, other.coverage);
    }

    @Override
    public int hashCode() {
        return 31 * (reason == null ? 0 : reason.hashCode()) + Arrays.hashCode(coverage);
    }

    @Override
    public String toString() {
        return usable() ? "usable" : reason.name();
    }
}
