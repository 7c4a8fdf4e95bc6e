package eagle.core.optim;

/**
 * Which side of a gradient G ∈ R^{m×n} GaLore projects, chosen by shape as the reference
 * implementation's {@code proj_type='std'}: the smaller dimension keeps the orthonormal factor.
 */
public enum ProjectionSide {
    /** m ≥ n: basis B = first r rows of Vᵀ (r×n); R = G Bᵀ (m×r); back-projection N B (m×n). */
    RIGHT,
    /**
     * m &lt; n: basis A = first r columns of U (m×r); R = Aᵀ G (r×n); back-projection A N (m×n).
     */
    LEFT;

    /** The side for an m×n gradient. */
    public static ProjectionSide forShape(long m, long n) {
        return m >= n ? RIGHT : LEFT;
    }
}
