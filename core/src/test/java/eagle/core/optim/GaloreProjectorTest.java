package eagle.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GaloreProjectorTest {

    @ParameterizedTest(name = "{0}x{1} rank {2}")
    @CsvSource({"40, 24, 4", "24, 40, 4", "30, 30, 5"})
    void basisSpansTheTopSingularSubspaceOfAnIndependentSvd(int m, int n, int r) {
        Random rnd = new Random(7);
        double[] sigma = new double[r + 3];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = i < r ? 20 - 2 * i : 2 - 0.3 * (i - r); // gap between σ_r and σ_{r+1}
        }
        double[][] g = Dense.withSpectrum(m, n, sigma, 0.01, rnd);
        boolean right = m >= n;
        try (NDManager nd = NDManager.newBaseManager();
                GaloreProjector p = new GaloreProjector(r, 200, 0.25f, nd)) {
            NDArray grad = nd.create(Dense.flat(g), new Shape(m, n));
            p.project(grad, 0).close();
            assertEquals(right ? ProjectionSide.RIGHT : ProjectionSide.LEFT, p.side());
            double[][] basis = Dense.of(p.basis());
            double[][] columns = right ? Dense.t(basis) : basis; // (n, r) or (m, r)
            assertEquals(right ? n : m, columns.length);
            assertEquals(r, columns[0].length);
            // orthonormal columns
            double[][] gram = Dense.mul(Dense.t(columns), columns);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, gram[i][j], 1e-5);
                }
            }
            double[][] reference = Dense.topSingularColumns(g, r, right);
            for (double c : Dense.principalCosines(columns, reference)) {
                assertTrue(c >= 0.999, "cos of a principal angle " + c);
            }
        }
    }

    @Test
    void aSubspaceMissingTheTopDirectionFailsThePrincipalAngleCheck() {
        // guards the check itself: the (r+1)-th vector alone is orthogonal to the top-r subspace
        Random rnd = new Random(3);
        double[][] g = Dense.withSpectrum(20, 10, new double[] {9, 8, 1}, 0.0, rnd);
        double[][] top = Dense.topSingularColumns(g, 3, true);
        double[][] first = new double[10][1];
        double[][] third = new double[10][1];
        for (int i = 0; i < 10; i++) {
            first[i][0] = top[i][0];
            third[i][0] = top[i][2];
        }
        assertTrue(Dense.principalCosines(third, first)[0] < 1e-6);
    }

    @Test
    void tallAndWideShapesFollowTheSmallerSide() {
        Random rnd = new Random(1);
        try (NDManager nd = NDManager.newBaseManager();
                GaloreProjector tall = new GaloreProjector(3, 200, 0.5f, nd);
                GaloreProjector wide = new GaloreProjector(3, 200, 0.5f, nd);
                GaloreProjector clipped = new GaloreProjector(8, 200, 1f, nd)) {
            NDArray gt = nd.create(Dense.flat(Dense.random(12, 6, rnd)), new Shape(12, 6));
            NDArray rt = tall.project(gt, 0);
            assertEquals(ProjectionSide.RIGHT, tall.side());
            assertEquals(new Shape(3, 6), tall.basis().getShape());
            assertEquals(new Shape(12, 3), rt.getShape());
            NDArray bt = tall.projectBack(rt);
            assertEquals(new Shape(12, 6), bt.getShape());
            // α·G BᵀB by hand
            double[][] b = Dense.of(tall.basis());
            double[][] expected = Dense.mul(Dense.mul(Dense.of(gt), Dense.t(b)), b);
            double[][] got = Dense.of(bt);
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 6; j++) {
                    assertEquals(0.5 * expected[i][j], got[i][j], 1e-5);
                }
            }

            NDArray gw = nd.create(Dense.flat(Dense.random(6, 12, rnd)), new Shape(6, 12));
            NDArray rw = wide.project(gw, 0);
            assertEquals(ProjectionSide.LEFT, wide.side());
            assertEquals(new Shape(6, 3), wide.basis().getShape());
            assertEquals(new Shape(3, 12), rw.getShape());
            NDArray bw = wide.projectBack(rw);
            double[][] a = Dense.of(wide.basis());
            double[][] expectedW = Dense.mul(a, Dense.mul(Dense.t(a), Dense.of(gw)));
            double[][] gotW = Dense.of(bw);
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 12; j++) {
                    assertEquals(0.5 * expectedW[i][j], gotW[i][j], 1e-5);
                }
            }

            NDArray gc = nd.create(Dense.flat(Dense.random(5, 3, rnd)), new Shape(5, 3));
            clipped.project(gc, 0);
            assertEquals(new Shape(3, 3), clipped.basis().getShape()); // rank clipped to min(m, n)
            assertEquals(new Shape(3, 3), GaloreProjector.basisShape(new Shape(5, 3), 8));
            assertEquals(new Shape(5, 3), GaloreProjector.lowRankShape(new Shape(5, 3), 8));
        }
    }

    @Test
    void basisIsRefreshedAtMultiplesOfTheUpdateGapOnly() {
        Random rnd = new Random(11);
        try (NDManager nd = NDManager.newBaseManager();
                GaloreProjector p = new GaloreProjector(2, 3, 1f, nd)) {
            float[] previous = null;
            for (int step = 0; step < 8; step++) {
                assertEquals(step % 3 == 0, p.refreshesAt(step));
                NDArray g = nd.create(Dense.flat(Dense.random(7, 4, rnd)), new Shape(7, 4));
                p.project(g, step).close();
                float[] basis = p.basis().toFloatArray();
                assertEquals(step % 3 == 0, p.refreshedAt(step), "step " + step);
                if (previous != null) {
                    if (step % 3 == 0) {
                        assertFalse(
                                Arrays.equals(previous, basis),
                                "basis should change at step " + step);
                    } else {
                        assertArrayEquals(
                                previous, basis, "basis changed before the gap at step " + step);
                    }
                }
                previous = basis;
            }
        }
    }

    @Test
    void reprojectionCarriesATensorIntoTheNewBasis() {
        Random rnd = new Random(5);
        try (NDManager nd = NDManager.newBaseManager();
                GaloreProjector p = new GaloreProjector(2, 1, 1f, nd)) {
            p.project(nd.create(Dense.flat(Dense.random(6, 4, rnd)), new Shape(6, 4)), 0);
            NDArray old = p.basis().duplicate();
            p.project(nd.create(Dense.flat(Dense.random(6, 4, rnd)), new Shape(6, 4)), 1);
            NDArray m = nd.create(Dense.flat(Dense.random(6, 2, rnd)), new Shape(6, 2));
            double[][] expected =
                    Dense.mul(Dense.mul(Dense.of(m), Dense.of(old)), Dense.t(Dense.of(p.basis())));
            double[][] got = Dense.of(p.reprojectFrom(m, old));
            assertTrue(Dense.maxAbsDiff(expected, got) < 1e-5);
            assertNotEquals(0.0, Dense.maxAbsDiff(Dense.of(m), got)); // it did change M
        }
    }

    @Test
    void rejectsBadArguments() {
        try (NDManager nd = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> new GaloreProjector(0, 1, 1f, nd));
            assertThrows(IllegalArgumentException.class, () -> new GaloreProjector(1, 0, 1f, nd));
            assertThrows(IllegalArgumentException.class, () -> new GaloreProjector(1, 1, 0f, nd));
            GaloreProjector p = new GaloreProjector(2, 10, 1f, nd);
            assertThrows(IllegalArgumentException.class, () -> p.project(nd.ones(new Shape(4)), 0));
            assertThrows(
                    IllegalStateException.class, () -> p.projectBack(nd.ones(new Shape(4, 2))));
            p.project(nd.randomNormal(new Shape(6, 4)), 0);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> p.project(nd.ones(new Shape(6, 5)), 1));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        }
    }
}
