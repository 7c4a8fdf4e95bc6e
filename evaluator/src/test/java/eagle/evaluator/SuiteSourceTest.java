package eagle.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.SuiteUnavailable;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.coco.CocoExport;
import eagle.scenes.suite.CocoSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eagle.evaluator.suite.source} and {@code suite.coco.*}: which held-out suite the evaluator
 * builds. (Scoring a COCO suite with a real encoder: scenes' CocoSuiteClipTest; a plain test here
 * cannot load the engine once a Quarkus test of the same JVM has.)
 */
class SuiteSourceTest {

    @TempDir Path dir;

    @Test
    void aCocoSourceBuildsTheSuiteFromTheSetAndItsDigestIsTheSuiteId() throws IOException {
        Path json = export(12);
        HeldOutSuite suite =
                EvaluatorBeans.heldOut(
                        config("coco", Optional.of(json.toString()), Optional.empty()),
                        dir.resolve("cache"));
        CocoSuite coco = assertInstance(suite);
        assertEquals(SceneGenerator.standard().taxonomy().names(), coco.classNames());
        assertTrue(coco.id().matches("[0-9a-f]{16}"), coco.id());
        assertEquals(coco.id(), suite.id());
        assertTrue(coco.pope().images().size() + coco.calibration().images().size() >= 2);
        // another set, another id: evaluations on it are never compared with those on this one
        HeldOutSuite other =
                EvaluatorBeans.heldOut(
                        config(
                                "coco",
                                Optional.of(export(13).toString()),
                                Optional.of(dir.resolve("set13").toString())),
                        dir.resolve("cache"));
        assertNotEquals(suite.id(), other.id());
    }

    @Test
    void theSyntheticSourceIsTheDefaultSuite() {
        HeldOutSuite suite =
                EvaluatorBeans.heldOut(
                        config("synthetic", Optional.empty(), Optional.empty()),
                        dir.resolve("cache"));
        assertTrue(suite.suite() instanceof eagle.scenes.suite.Suite);
    }

    @Test
    void misconfigurationAndBadSetsSayWhatIsWrong() throws IOException {
        IllegalStateException noFile =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                EvaluatorBeans.heldOut(
                                        config("coco", Optional.empty(), Optional.empty()), dir));
        assertTrue(
                noFile.getMessage().contains("eagle.evaluator.suite.coco.annotations"),
                noFile.getMessage());
        IllegalStateException unknown =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                EvaluatorBeans.heldOut(
                                        config("imagenet", Optional.empty(), Optional.empty()),
                                        dir));
        assertTrue(
                unknown.getMessage().contains("synthetic, coco or stream"), unknown.getMessage());
        IllegalStateException noBroker =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                EvaluatorBeans.heldOut(
                                        config("stream", Optional.empty(), Optional.empty()), dir));
        assertTrue(
                noBroker.getMessage().contains("kafka.bootstrap.servers"), noBroker.getMessage());
        assertEquals(
                eagle.evaluator.gate.SuitePrecision.Policy.BLOCK,
                EvaluatorBeans.precision("block"));
        assertThrows(IllegalStateException.class, () -> EvaluatorBeans.precision("maybe"));

        Path json = export(12);
        Files.delete(json.getParent().resolve("000003.png"));
        HeldOutSuite missing =
                EvaluatorBeans.heldOut(
                        config("coco", Optional.of(json.toString()), Optional.empty()),
                        dir.resolve("cache"));
        SuiteUnavailable e = assertThrows(SuiteUnavailable.class, missing::suite);
        assertTrue(
                e.getMessage().contains("image 4") && e.getMessage().contains("000003.png"),
                e.getMessage());
        // fixed files are picked up at the next use, without a restart
        export(12);
        assertEquals(16, missing.id().length());
    }

    private static CocoSuite assertInstance(HeldOutSuite suite) {
        assertTrue(suite.suite() instanceof CocoSuite, suite.suite().getClass().getName());
        return (CocoSuite) suite.suite();
    }

    /** {@code n} generated scenes written as a COCO set under dir/set{n}. */
    private Path export(int n) {
        SceneGenerator gen = SceneGenerator.standard();
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scenes.add(gen.generate(1000 + i));
        }
        return CocoExport.write(scenes, gen.taxonomy(), dir.resolve("set" + n));
    }

    private static EvaluatorConfig.Suite config(
            String source, Optional<String> annotations, Optional<String> images) {
        return new EvaluatorConfig.Suite() {
            public int zeroShotImages() {
                return 4;
            }

            public int popeImages() {
                return 4;
            }

            public int calibrationImages() {
                return 4;
            }

            public int mmvpPairsPerKind() {
                return 2;
            }

            public int statsScenes() {
                return 20;
            }

            public int bootstrapResamples() {
                return 50;
            }

            public String source() {
                return source;
            }

            public String precision() {
                return "warn";
            }

            public EvaluatorConfig.Stream stream() {
                return new EvaluatorConfig.Stream() {
                    public String blobsDir() {
                        return "blobs";
                    }

                    public int growth() {
                        return 10;
                    }

                    public java.time.Duration readTimeout() {
                        return java.time.Duration.ofSeconds(5);
                    }
                };
            }

            public EvaluatorConfig.Coco coco() {
                return new EvaluatorConfig.Coco() {
                    public Optional<String> annotations() {
                        return annotations;
                    }

                    public Optional<String> images() {
                        return images;
                    }

                    public double calibrationFraction() {
                        return 0.25;
                    }

                    public int minInstancePixels() {
                        return 64;
                    }

                    public long seed() {
                        return 0;
                    }
                };
            }
        };
    }
}
