package eagle.core.optim;

/**
 * What {@link GaloreAdamW} does with the low-rank Adam moments when the GaLore basis changes.
 *
 * <p>The reference implementation keeps both moments as they are, although their coordinates
 * referred to the old basis (jiaweizzhao/GaLore issue #54). Re-projection fixes this for the first
 * moment only: M is linear in the gradient, so its full-rank image M_old B_old (RIGHT) or A_old
 * M_old (LEFT) is known and can be projected onto the new basis. The second moment V holds
 * elementwise squares R_k² of the old coordinates; the new coordinates are linear mixtures R'_j =
 * Σ_k c_jk R_k, whose squares need the cross terms E[R_k R_l], k ≠ l, which Adam never stores. So V
 * cannot be re-projected exactly, and it is kept.
 */
public enum MomentPolicy {
    /** Reference behaviour: M and V are kept unchanged when the basis changes. */
    KEEP,
    /**
     * On a basis change M ← M_old B_old B_newᵀ (RIGHT, (m, r)) or M ← A_newᵀ A_old M_old (LEFT, (r,
     * n)); V is kept (see the class comment).
     */
    REPROJECT
}
