package eagle.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter.Reason;
import eagle.scenes.Taxonomy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A generated corpus of annotation records that ingest must dead-letter, each with the reason it
 * must get: every reason code of docs/ARCHITECTURE.md, Events, in several variants, all with
 * distinct bytes (the dead letter carries the original bytes, which identify the case). {@code
 * DUPLICATE} cases come with the good record they repeat, published first. Ingest must run with a
 * closed taxonomy that lacks "unicorn" and a 4 KiB inline-image limit ({@link Platform}).
 */
final class MalformedCorpus {

    /**
     * One record to publish; {@code expected} is null for a good record (it must become a sample).
     */
    record Case(String key, byte[] value, Reason expected) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** a class of the closed taxonomy ingest runs with */
    private static final String CLASS = Taxonomy.standard().names().get(0);

    private static final int H = 12;
    private static final int W = 16;

    private final List<Case> good = new ArrayList<>();
    private final List<Case> bad = new ArrayList<>();
    private final Random random;
    private final String goodUri;
    private final String goodSha;
    private final String prefix;

    /**
     * @param dir where the corpus' image files go
     * @param prefix image-id prefix, unique per corpus
     */
    MalformedCorpus(Path dir, String prefix, long seed) {
        this.random = new Random(seed);
        this.prefix = prefix;
        try {
            Files.createDirectories(dir);
            byte[] png = png();
            goodSha = AnnotationEvent.sha256Hex(png);
            Path file = dir.resolve(prefix + "-good.png");
            Files.write(file, png);
            goodUri = file.toUri().toString();
            generate(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Case> good() {
        return good;
    }

    List<Case> bad() {
        return bad;
    }

    private void generate(Path dir) throws IOException {
        for (int i = 0; i < 40; i++) { // not a JSON object
            String id = id("unparsable", i);
            byte[] v =
                    switch (i % 5) {
                        case 0 -> ("not JSON at all #" + i).getBytes(StandardCharsets.UTF_8);
                        case 1 ->
                                ("{\"imageId\":\"" + id + "\",")
                                        .getBytes(StandardCharsets.UTF_8); // truncated
                        case 2 -> ("[" + i + ",2,3]").getBytes(StandardCharsets.UTF_8); // an array
                        case 3 ->
                                ("\"a string " + i + "\"")
                                        .getBytes(StandardCharsets.UTF_8); // a string
                        default -> randomBytes(16 + i); // binary noise
                    };
            bad.add(new Case(id, v, Reason.UNPARSABLE));
        }
        for (int i = 0; i < 50; i++) { // JSON that is not annotation.v1
            String id = id("schema", i);
            ObjectNode e = event(id, CLASS, rle(H, W, mostlyOn()), goodUri, goodSha);
            String key = id;
            switch (i % 5) {
                case 0 -> e.put("unexpected_" + i, true);
                case 1 -> e.put("schemaVersion", 2 + i);
                case 2 -> key = id + "-other";
                case 3 -> e.remove("imageId");
                default -> e.remove("mask");
            }
            bad.add(new Case(key, JSON.writeValueAsBytes(e), Reason.SCHEMA));
        }
        for (int i = 0; i < 20; i++) {
            String id = id("class", i);
            bad.add(
                    new Case(
                            id,
                            bytes(
                                    event(
                                            id,
                                            "unicorn-" + i,
                                            rle(H, W, mostlyOn()),
                                            goodUri,
                                            goodSha)),
                            Reason.UNKNOWN_CLASS));
        }
        for (int i = 0;
                i < 15;
                i++) { // free text, but bounded: too long, or a control/format character
            String id = id("classname", i);
            String name =
                    switch (i % 5) {
                        case 0 -> "y".repeat(257 + i); // above 256 characters
                        case 1 -> CLASS + "\u0007" + i; // BEL (Cc)
                        case 2 -> "traffic\nlight " + i; // a line feed (Cc)
                        case 3 -> "hot-dog\u202E" + i; // RIGHT-TO-LEFT OVERRIDE (Cf)
                        default ->
                                "\uFEFFcr\u00E8me br\u00FBl\u00E9e "
                                        + i; // BOM (Cf) before valid text
                    };
            bad.add(
                    new Case(
                            id,
                            bytes(event(id, name, rle(H, W, mostlyOn()), goodUri, goodSha)),
                            Reason.CLASS_NAME_INVALID));
        }
        for (int i = 0; i < 15; i++) {
            String id = id("digest", i);
            bad.add(
                    new Case(
                            id,
                            bytes(event(id, CLASS, rle(H, W, mostlyOn()), goodUri, hex(32))),
                            Reason.DIGEST_MISMATCH));
        }
        for (int i = 0; i < 15; i++) {
            String id = id("unreachable", i);
            String uri = dir.resolve("missing-" + prefix + "-" + i + ".png").toUri().toString();
            bad.add(
                    new Case(
                            id,
                            bytes(event(id, CLASS, rle(H, W, mostlyOn()), uri, hex(32))),
                            Reason.IMAGE_UNREACHABLE));
        }
        for (int i = 0; i < 15; i++) { // inline bytes above the 4 KiB limit
            String id = id("large", i);
            ObjectNode e = event(id, CLASS, rle(H, W, mostlyOn()), null, null);
            e.set(
                    "image",
                    JSON.valueToTree(AnnotationEvent.ImageRef.inline(randomBytes(5000 + i))));
            bad.add(new Case(id, bytes(e), Reason.TOO_LARGE));
        }
        for (int i = 0; i < 15; i++) { // inline bytes with the right digest that are no image
            String id = id("undecodable", i);
            ObjectNode e = event(id, CLASS, rle(H, W, mostlyOn()), null, null);
            e.set("image", JSON.valueToTree(AnnotationEvent.ImageRef.inline(randomBytes(200 + i))));
            bad.add(new Case(id, bytes(e), Reason.IMAGE_UNDECODABLE));
        }
        for (int i = 0; i < 15; i++) {
            String id = id("size", i);
            int h = H + 1 + i;
            bad.add(
                    new Case(
                            id,
                            bytes(
                                    event(
                                            id,
                                            CLASS,
                                            rle(h, W, new long[] {3, (long) h * W - 3}),
                                            goodUri,
                                            goodSha)),
                            Reason.MASK_SIZE_MISMATCH));
        }
        for (int i = 0;
                i < 15;
                i++) { // run lengths that do not sum to h*w, and a broken compressed string
            String id = id("mask", i);
            ObjectNode e =
                    i % 3 == 2
                            ? event(
                                    id,
                                    CLASS,
                                    JSON.valueToTree(
                                            AnnotationEvent.Mask.rle(H, W, "\u0001\u0002bad" + i)),
                                    goodUri,
                                    goodSha)
                            : event(id, CLASS, rle(H, W, new long[] {5, 7 + i}), goodUri, goodSha);
            bad.add(new Case(id, bytes(e), Reason.MASK_UNDECODABLE));
        }
        for (int i = 0; i < 15; i++) {
            String id = id("empty", i);
            ObjectNode e = event(id, CLASS, rle(H, W, new long[] {H * W}), goodUri, goodSha);
            e.put("annotator", "corpus-" + i);
            bad.add(new Case(id, bytes(e), Reason.EMPTY_MASK));
        }
        for (int i = 0;
                i < 10;
                i++) { // a good instance, then the same content again at another time
            String id = id("dup", i);
            ObjectNode first =
                    event(
                            id,
                            CLASS,
                            rle(H, W, new long[] {i, 20, H * W - 20 - i}),
                            goodUri,
                            goodSha);
            good.add(new Case(id, bytes(first), null));
            ObjectNode again = first.deepCopy();
            again.put("time", "2026-01-01T00:00:" + String.format("%02d", i) + "Z");
            bad.add(new Case(id, bytes(again), Reason.DUPLICATE));
        }
    }

    private String id(String kind, int i) {
        return prefix + "-" + kind + "-" + i;
    }

    private static ObjectNode event(
            String imageId, String className, Object mask, String uri, String sha) {
        ObjectNode e = JSON.createObjectNode();
        e.put("schemaVersion", AnnotationEvent.SCHEMA_VERSION);
        e.put("imageId", imageId);
        e.put("instanceId", imageId + "/0");
        e.put("className", className);
        e.set("mask", JSON.valueToTree(mask));
        if (uri != null) {
            e.set("image", JSON.valueToTree(AnnotationEvent.ImageRef.of(uri, sha)));
        }
        e.put("annotator", "malformed-corpus");
        e.put("time", "2026-11-27T00:00:00Z");
        return e;
    }

    private static AnnotationEvent.Mask rle(int h, int w, long[] counts) {
        return AnnotationEvent.Mask.rle(h, w, counts);
    }

    /** 0 then 1 runs: a mask with half its pixels on. */
    private static long[] mostlyOn() {
        return new long[] {H * W / 2, H * W - H * W / 2};
    }

    private static byte[] bytes(ObjectNode e) throws IOException {
        return JSON.writeValueAsBytes(e);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] = (byte) 0xff; // never a '{'
        return b;
    }

    private String hex(int n) {
        return java.util.HexFormat.of().formatHex(randomBytes(n));
    }

    private static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, (x * 16) << 16 | (y * 20) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
