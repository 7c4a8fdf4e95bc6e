package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * State files written before the manifest entries became {@code eagle.contracts.OffsetRange} (the
 * trainer's own record with the same four fields) still read, and the manifest is written back with
 * the same field names, so a candidate's manifest hash does not change.
 */
class StateFileCompatibilityTest {

    /** A round's checkpoint extra as the trainer wrote it with its own OffsetRange record. */
    private static final String OLD_ROUND_STATE =
            """
            {
              "round" : 3,
              "parentSha256" : "ab",
              "parentVersion" : 7,
              "manifest" : [ {
                "topic" : "eagle.samples",
                "partition" : 1,
                "fromOffset" : 5,
                "untilOffset" : 11
              }, {
                "topic" : "eagle.samples",
                "partition" : 0,
                "fromOffset" : 0,
                "untilOffset" : 4
              } ],
              "positions" : { "0" : 4, "1" : 11 },
              "intake" : [ ],
              "buffer" : null,
              "skipped" : 2,
              "skippedByReason" : { },
              "losses" : [ ],
              "startedAt" : "2026-01-01T00:00:00Z"
            }
            """;

    /** A candidate.json as the trainer wrote it with its own OffsetRange record. */
    private static final String OLD_CANDIDATE =
            """
            {
              "round" : 1,
              "sha256" : "cd",
              "parentSha256" : "ab",
              "parentVersion" : null,
              "hyperparameters" : { },
              "losses" : [ ],
              "manifest" : [ {
                "topic" : "t",
                "partition" : 0,
                "fromOffset" : 2,
                "untilOffset" : 4
              } ],
              "manifestSha256" : "MANIFEST_SHA",
              "device" : "cpu()",
              "createdAt" : "2026-01-01T00:00:00Z"
            }
            """;

    private static final String CANONICAL_MANIFEST =
            "[{\"topic\":\"t\",\"partition\":0,\"fromOffset\":2,\"untilOffset\":4}]";

    @Test
    void anOldRoundStateReadsWithItsManifest() throws Exception {
        RoundState state = StateStore.JSON.readValue(OLD_ROUND_STATE, RoundState.class);
        assertEquals(
                List.of(
                        OffsetRange.of("eagle.samples", 1, 5, 11),
                        OffsetRange.of("eagle.samples", 0, 0, 4)),
                state.manifest());
        assertEquals(Map.of(0, 4L, 1, 11L), state.positions());
        assertEquals(new Parent("ab", 7), state.parent());
        assertFalse(state.parent().fineTuned(), "a state written before the flag: not a round's");
        RoundState flagged =
                StateStore.JSON.readValue(
                        OLD_ROUND_STATE.replace(
                                "\"round\" : 3,", "\"round\" : 3, \"parentFineTuned\" : true,"),
                        RoundState.class);
        org.junit.jupiter.api.Assertions.assertTrue(flagged.parent().fineTuned());

        // written back, the manifest has the same fields as before and nothing more
        JsonNode written = StateStore.JSON.readTree(StateStore.JSON.writeValueAsString(state));
        assertEquals(
                StateStore.JSON.readTree(OLD_ROUND_STATE).get("manifest"), written.get("manifest"));
    }

    @Test
    void anOldCandidateReadsAndKeepsItsManifestHash() throws Exception {
        String sha = AnnotationEvent.sha256Hex(CANONICAL_MANIFEST.getBytes(StandardCharsets.UTF_8));
        Candidate c =
                StateStore.JSON.readValue(
                        OLD_CANDIDATE.replace("MANIFEST_SHA", sha), Candidate.class);
        assertEquals(List.of(OffsetRange.of("t", 0, 2, 4)), c.manifest());
        assertEquals(sha, Candidate.manifestHash(c.manifest()));

        JsonNode entry =
                StateStore.JSON
                        .readTree(StateStore.JSON.writeValueAsString(c))
                        .get("manifest")
                        .get(0);
        assertEquals(List.of("topic", "partition", "fromOffset", "untilOffset"), fieldNames(entry));
        assertFalse(entry.has("count"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
