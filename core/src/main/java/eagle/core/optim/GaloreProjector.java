package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * GaLore's gradient projector (Zhao et al., "GaLore: Memory-Efficient LLM Training by Gradient
 * Low-Rank Projection", arXiv:2403.03507; reference implementation jiaweizzhao/GaLore, {@code
 * galore_projector.py}, {@code proj_type='std'}).
 *
 * <p>For a weight W ∈ R^{m×n} with gradient G (m×n), at step 0 and every T steps the basis is
 * recomputed from the SVD G = U Σ Vᵀ of the current gradient (singular values descending), on the
 * host with EJML in float64, and stored in the gradient's data type:
 *
 * <pre>
 *   m ≥ n (RIGHT): B = Vᵀ[0:r, :]   (r, n)    R = G Bᵀ   (m, r)    back(N) = α · N B   (m, n)
 *   m &lt; n (LEFT):  A = U[:, 0:r]    (m, r)    R = Aᵀ G   (r, n)    back(N) = α · A N   (m, n)
 * </pre>
 *
 * with r = min(rank, m, n) and α the scale. The basis is determined only up to the sign of each
 * singular vector; the GaLore-Adam update α·back(M/(√V+ε)) does not depend on those signs within
 * one basis period.
 *
 * <p>Letters: m, n the weight's rows and columns, r the rank, T the update gap.
 */
public final class GaloreProjector implements AutoCloseable {

    private final int rank;
    private final int updateGap;
    private final float scale;
    private final NDManager manager;
    private ProjectionSide side;
    private NDArray basis;
    private int lastRefreshStep = -1;

    /**
     * @param rank requested rank r (clipped to min(m, n) per gradient)
     * @param updateGap T, steps between basis refreshes (reference default 200)
     * @param scale α, multiplies the back-projection (reference default 0.25)
     * @param manager owns the basis (the optimizer's state manager, on the parameters' device)
     */
    public GaloreProjector(int rank, int updateGap, float scale, NDManager manager) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (updateGap < 1) {
            throw new IllegalArgumentException("updateGap must be >= 1, got " + updateGap);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        this.rank = rank;
        this.updateGap = updateGap;
        this.scale = scale;
        this.manager = manager;
    }

    /**
     * Projects a gradient into the low-rank space, first recomputing the basis from {@code grad}
     * when {@link #refreshesAt} says so.
     *
     * @param grad G (m, n), 2-D
     * @param step 0-based optimizer step
     * @return R: (m, r) for {@link ProjectionSide#RIGHT}, (r, n) for {@link ProjectionSide#LEFT}; a
     *     new array attached to {@code grad}'s manager, the caller closes it
     */
    public NDArray project(NDArray grad, int step) {
        return project(grad, step, null);
    }

    /**
     * {@link #project}, with the new basis already computed on the host when this step refreshes
     * it.
     *
     * @param hostBasis {@link #hostBasis} of {@code grad}'s values, or null to compute it here
     */
    NDArray project(NDArray grad, int step, double[] hostBasis) {
        checkGradient(grad);
        if (refreshesAt(step)) {
            NDArray fresh = installable(grad, hostBasis);
            if (basis != null) {
                basis.close();
            }
            basis = fresh;
            lastRefreshStep = step;
        } else {
            checkBasisFits(grad.getShape());
        }
        if (side == ProjectionSide.RIGHT) {
            try (NDArray bt = basis.transpose()) {
                return grad.matMul(bt); // (m, n)(n, r) → (m, r)
            }
        }
        try (NDArray at = basis.transpose()) {
            return at.matMul(grad); // (r, m)(m, n) → (r, n)
        }
    }

    /**
     * Back-projects a low-rank update to the weight's shape, scaled by α.
     *
     * @param lowRank N: (m, r) for RIGHT, (r, n) for LEFT
     * @return α·N B or α·A N, (m, n); a new array the caller closes
     */
    public NDArray projectBack(NDArray lowRank) {
        requireBasis();
        NDArray full =
                side == ProjectionSide.RIGHT
                        ? lowRank.matMul(basis) // (m, r)(r, n) → (m, n)
                        : basis.matMul(lowRank); // (m, r)(r, n) → (m, n)
        return full.muli(scale);
    }

    /**
     * Re-expresses a low-rank tensor kept in {@code previousBasis}' coordinates in the current
     * basis: RIGHT: M_new = M_old B_old B_newᵀ, computed as M_old (B_old B_newᵀ) (m, r); LEFT:
     * M_new = A_newᵀ A_old M_old, computed as (A_newᵀ A_old) M_old (r, n). Exact for the part of
     * M_old's full-rank image M_old B_old (or A_old M_old) that lies in the new subspace; the rest
     * is dropped.
     *
     * @return a new array the caller owns
     */
    public NDArray reprojectFrom(NDArray lowRank, NDArray previousBasis) {
        requireBasis();
        if (!previousBasis.getShape().equals(basis.getShape())) {
            throw new IllegalArgumentException(
                    "previous basis "
                            + previousBasis.getShape()
                            + " differs from current "
                            + basis.getShape());
        }
        if (side == ProjectionSide.RIGHT) {
            try (NDArray bt = basis.transpose();
                    NDArray change = previousBasis.matMul(bt)) { // (r, n)(n, r) → (r, r)
                return lowRank.matMul(change); // (m, r)(r, r) → (m, r)
            }
        }
        try (NDArray at = basis.transpose();
                NDArray change = at.matMul(previousBasis)) { // (r, m)(m, r) → (r, r)
            return change.matMul(lowRank); // (r, r)(r, n) → (r, n)
        }
    }

    /**
     * Whether {@link #project} at {@code step} recomputes the basis: no basis yet or step % T == 0.
     */
    public boolean refreshesAt(int step) {
        return basis == null || step % updateGap == 0;
    }

    /** Whether the basis now in use was computed from the gradient of {@code step}. */
    public boolean refreshedAt(int step) {
        return basis != null && lastRefreshStep == step;
    }

    /**
     * The current basis (B (r, n) or A (m, r)), owned by the projector; null before the first step.
     */
    public NDArray basis() {
        return basis;
    }

    /** The side in use; null before the first gradient or restored basis fixed it. */
    public ProjectionSide side() {
        return side;
    }

    public int rank() {
        return rank;
    }

    public int updateGap() {
        return updateGap;
    }

    public float scale() {
        return scale;
    }

    /**
     * Installs a saved basis (a copy is taken) so that projection continues without a refresh until
     * the next multiple of T. Its shape is checked against the first gradient.
     */
    public void restore(NDArray savedBasis) {
        if (savedBasis.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "a GaLore basis is 2-D, got " + savedBasis.getShape());
        }
        NDArray copy = savedBasis.duplicate();
        NDScope.unregister(copy);
        copy.attach(manager);
        if (basis != null) {
            basis.close();
        }
        basis = copy;
        side = null;
        lastRefreshStep = -1;
    }

    /**
     * Shape of the basis for an (m, n) weight: (r, n) for RIGHT, (m, r) for LEFT, r = min(rank, m,
     * n).
     */
    public static Shape basisShape(Shape weight, int rank) {
        long m = weight.get(0);
        long n = weight.get(1);
        long r = Math.min(rank, Math.min(m, n));
        return ProjectionSide.forShape(m, n) == ProjectionSide.RIGHT
                ? new Shape(r, n)
                : new Shape(m, r);
    }

    /** Shape of the projected gradient for an (m, n) weight: (m, r) for RIGHT, (r, n) for LEFT. */
    public static Shape lowRankShape(Shape weight, int rank) {
        long m = weight.get(0);
        long n = weight.get(1);
        long r = Math.min(rank, Math.min(m, n));
        return ProjectionSide.forShape(m, n) == ProjectionSide.RIGHT
                ? new Shape(m, r)
                : new Shape(r, n);
    }

    /** Bytes of the basis (0 before the first step). */
    public long basisBytes() {
        return basis == null ? 0 : StateArrays.bytes(basis);
    }

    @Override
    public void close() {
        if (basis != null) {
            basis.close();
            basis = null;
        }
    }

    /**
     * Top-r singular vectors of G by EJML in float64: B = Vᵀ[0:r, :] (r, n) for RIGHT or A = U[:,
     * 0:r] (m, r) for LEFT, row-major.
     */
    static double[] topSingularVectors(double[] g, int m, int n, ProjectionSide side, int r) {
        DMatrixRMaj gm = new DMatrixRMaj(m, n, true, g);
        boolean right = side == ProjectionSide.RIGHT;
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(m, n, !right, right, true);
        if (!svd.decompose(gm)) {
            throw new IllegalStateException(
                    "SVD of a " + m + "x" + n + " gradient did not converge");
        }
        DMatrixRMaj u = right ? null : svd.getU(null, false); // (m, k)
        DMatrixRMaj vt = right ? svd.getV(null, true) : null; // (k, n)
        double[] sv = svd.getSingularValues();
        SingularOps_DDRM.descendingOrder(u, false, sv, svd.numberOfSingularValues(), vt, true);
        double[] out;
        if (right) {
            out = new double[r * n];
            System.arraycopy(vt.data, 0, out, 0, r * n); // first r rows of Vᵀ
        } else {
            out = new double[m * r];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < r; j++) {
                    out[i * r + j] = u.get(i, j);
                }
            }
        }
        return out;
    }

    /**
     * The basis of an (m, n) gradient whose values are {@code g} (row-major, float64), as the
     * projector computes it at a refresh: {@link #topSingularVectors} at r = min(rank, m, n) on the
     * side {@link ProjectionSide#forShape} picks.
     */
    static double[] hostBasis(double[] g, int m, int n, int rank) {
        return topSingularVectors(
                g, m, n, ProjectionSide.forShape(m, n), Math.min(rank, Math.min(m, n)));
    }

    private NDArray installable(NDArray grad, double[] hostBasis) {
        Shape s = grad.getShape();
        int m = Math.toIntExact(s.get(0));
        int n = Math.toIntExact(s.get(1));
        side = ProjectionSide.forShape(m, n);
        int r = Math.min(rank, Math.min(m, n));
        double[] b =
                hostBasis != null ? hostBasis : hostBasis(OptimArgs.toDoubles(grad), m, n, rank);
        if (b.length != (long) r * (side == ProjectionSide.RIGHT ? n : m)) {
            throw new IllegalArgumentException(
                    "a basis of " + b.length + " values does not fit a " + s + " gradient");
        }
        Shape shape = side == ProjectionSide.RIGHT ? new Shape(r, n) : new Shape(m, r);
        NDArray out;
        if (grad.getDataType() == DataType.FLOAT64) {
            out = manager.create(b, shape);
        } else {
            try (NDArray d = manager.create(b, shape)) {
                out = d.toType(grad.getDataType(), true);
            }
        }
        NDScope.unregister(out);
        out.attach(manager);
        return out;
    }

    private void checkGradient(NDArray grad) {
        if (grad.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "GaLore projects 2-D gradients, got " + grad.getShape());
        }
    }

    private void checkBasisFits(Shape g) {
        Shape expected = basisShape(g, rank);
        if (!basis.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    "GaLore basis "
                            + basis.getShape()
                            + " does not fit a "
                            + g
                            + " gradient (expected "
                            + expected
                            + ")");
        }
        side = ProjectionSide.forShape(g.get(0), g.get(1));
    }

    private void requireBasis() {
        if (basis == null || side == null) {
            throw new IllegalStateException("no basis yet: project a gradient first");
        }
    }
}
