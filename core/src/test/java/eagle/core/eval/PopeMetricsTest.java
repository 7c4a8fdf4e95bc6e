package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PopeMetricsTest {

    @Test
    void handMadeConfusion() {
        //                 q0    q1     q2     q3     q4     q5     q6     q7
        boolean[] answers = {true, true, true, false, false, false, true, false};
        boolean[] truth = {true, true, false, true, false, false, false, false};
        // q0,q1: TP; q2,q6: FP; q3: FN; q4,q5,q7: TN → TP=2 FP=2 FN=1 TN=3, n=8
        PopeMetrics m = PopeMetrics.of(answers, truth);
        assertEquals(2, m.tp());
        assertEquals(2, m.fp());
        assertEquals(3, m.tn());
        assertEquals(1, m.fn());
        assertEquals(5.0 / 8, m.accuracy(), 1e-12); // (2+3)/8
        assertEquals(2.0 / 4, m.precision(), 1e-12); // 2/(2+2)
        assertEquals(2.0 / 3, m.recall(), 1e-12); // 2/(2+1)
        // F1 = 2·(1/2)(2/3)/((1/2)+(2/3)) = (2/3)/(7/6) = 4/7
        assertEquals(4.0 / 7, m.f1(), 1e-12);
        assertEquals(2.0 / 5, m.fpr(), 1e-12); // 2/(2+3)
        assertEquals(4.0 / 8, m.yesRatio(), 1e-12); // (2+2)/8
        assertEquals(m.fpr(), m.get("fpr"));
    }

    @Test
    void zeroDenominatorsAreZero() {
        // never yes: precision 0/0 → 0, recall 0/2 = 0, f1 0, fpr 0/2 = 0, yes ratio 0
        PopeMetrics no = PopeMetrics.of(new boolean[4], new boolean[] {true, true, false, false});
        assertEquals(0, no.precision());
        assertEquals(0, no.recall());
        assertEquals(0, no.f1());
        assertEquals(0, no.fpr());
        assertEquals(0.5, no.accuracy());
        // always yes: precision 2/4, recall 1, fpr 1, yes ratio 1
        PopeMetrics yes =
                PopeMetrics.of(
                        new boolean[] {true, true, true, true},
                        new boolean[] {true, true, false, false});
        assertEquals(0.5, yes.precision());
        assertEquals(1.0, yes.recall());
        assertEquals(1.0, yes.fpr());
        assertEquals(1.0, yes.yesRatio());
        // F1 = 2·0.5·1/1.5 = 2/3
        assertEquals(2.0 / 3, yes.f1(), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PopeMetrics.of(new boolean[0], new boolean[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> PopeMetrics.of(new boolean[1], new boolean[2]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PopeMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).get("auc"));
    }
}
