package eagle.scenes.suite;

import eagle.scenes.Instance;
import eagle.scenes.coco.AnnotatedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MMVP-style pairs from annotated images (docs/METHOD.md §6): two real images that differ in one
 * detail the annotations state, each with a statement true of it and false of the other. Unlike the
 * synthetic pairs the two images differ in other ways too; the pair still asks whether the encoder
 * prefers the right statement on each. Images are taken in ascending id order, categories in index
 * order; each image is in at most one pair per (kind, category).
 */
final class CocoMmvpPairs {

    private static final String[] COUNT_WORDS = {"zero", "one", "two", "three", "four"};

    private CocoMmvpPairs() {}

    static List<MmvpPair> pairs(List<AnnotatedImage> images, List<String> names, int perKind) {
        List<AnnotatedImage> byId = new ArrayList<>(images);
        byId.sort(Comparator.comparingLong(AnnotatedImage::id));
        List<MmvpPair> out = new ArrayList<>();
        out.addAll(count(byId, names, perKind));
        out.addAll(presence(byId, names, perKind));
        out.addAll(position(byId, names, perKind));
        return out;
    }

    /**
     * n vs n+1 non-crowd instances of a category, 1 ≤ n ≤ 3; images with a crowd of it are not
     * used.
     */
    static List<MmvpPair> count(List<AnnotatedImage> images, List<String> names, int perKind) {
        List<MmvpPair> out = new ArrayList<>();
        for (int c = 0; c < names.size() && out.size() < perKind; c++) {
            for (int n = 1; n <= 3 && out.size() < perKind; n++) {
                List<AnnotatedImage> a = new ArrayList<>();
                List<AnnotatedImage> b = new ArrayList<>();
                for (AnnotatedImage im : images) {
                    int k = countOf(im, c);
                    if (k == n) {
                        a.add(im);
                    } else if (k == n + 1) {
                        b.add(im);
                    }
                }
                for (int i = 0; i < Math.min(a.size(), b.size()) && out.size() < perKind; i++) {
                    out.add(
                            new MmvpPair(
                                    MmvpKind.COUNT,
                                    CocoSuiteBuilder.scene(a.get(i)),
                                    CocoSuiteBuilder.scene(b.get(i)),
                                    "a photo of " + counted(n, names.get(c)),
                                    "a photo of " + counted(n + 1, names.get(c))));
                }
            }
        }
        return out;
    }

    /** An image with c and d vs one with d and without c (c ≠ d). */
    static List<MmvpPair> presence(List<AnnotatedImage> images, List<String> names, int perKind) {
        List<MmvpPair> out = new ArrayList<>();
        for (int c = 0; c < names.size() && out.size() < perKind; c++) {
            for (int d = 0; d < names.size() && out.size() < perKind; d++) {
                if (c == d) {
                    continue;
                }
                List<AnnotatedImage> a = new ArrayList<>();
                List<AnnotatedImage> b = new ArrayList<>();
                for (AnnotatedImage im : images) {
                    boolean hasC = has(im, c);
                    if (has(im, d)) {
                        (hasC ? a : b).add(im);
                    }
                }
                for (int i = 0; i < Math.min(a.size(), b.size()) && out.size() < perKind; i++) {
                    out.add(
                            new MmvpPair(
                                    MmvpKind.PRESENCE,
                                    CocoSuiteBuilder.scene(a.get(i)),
                                    CocoSuiteBuilder.scene(b.get(i)),
                                    "a photo of "
                                            + counted(1, names.get(d))
                                            + " and "
                                            + counted(1, names.get(c)),
                                    "a photo of " + counted(1, names.get(d))));
                }
            }
        }
        return out;
    }

    /**
     * A single instance of c with its box centre in the left third vs in the right third of the
     * image.
     */
    static List<MmvpPair> position(List<AnnotatedImage> images, List<String> names, int perKind) {
        List<MmvpPair> out = new ArrayList<>();
        for (int c = 0; c < names.size() && out.size() < perKind; c++) {
            List<AnnotatedImage> left = new ArrayList<>();
            List<AnnotatedImage> right = new ArrayList<>();
            int cls = c;
            for (AnnotatedImage im : images) {
                List<Instance> of =
                        im.instances().stream().filter(in -> in.classId() == cls).toList();
                if (of.size() != 1 || im.isCrowd(of.get(0))) {
                    continue;
                }
                int[] box = of.get(0).mask().boundingBox(); // [x, y, w, h]
                double centre = (box[0] + box[2] / 2.0) / im.width();
                if (centre < 1.0 / 3) {
                    left.add(im);
                } else if (centre > 2.0 / 3) {
                    right.add(im);
                }
            }
            String one = counted(1, names.get(c));
            for (int i = 0; i < Math.min(left.size(), right.size()) && out.size() < perKind; i++) {
                out.add(
                        new MmvpPair(
                                MmvpKind.POSITION,
                                CocoSuiteBuilder.scene(left.get(i)),
                                CocoSuiteBuilder.scene(right.get(i)),
                                "a photo of " + one + " on the left",
                                "a photo of " + one + " on the right"));
            }
        }
        return out;
    }

    /** Non-crowd instances of c, or −1 when the image has a crowd of c. */
    private static int countOf(AnnotatedImage im, int c) {
        int n = 0;
        for (Instance in : im.instances()) {
            if (in.classId() == c) {
                if (im.isCrowd(in)) {
                    return -1;
                }
                n++;
            }
        }
        return n;
    }

    private static boolean has(AnnotatedImage im, int c) {
        return im.instances().stream().anyMatch(in -> in.classId() == c);
    }

    /** "a dog", "an apple", "two dogs" (plural: name + "s", "es" after s, x, ch, sh). */
    static String counted(int n, String name) {
        if (n == 1) {
            return ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ")
                    + name;
        }
        String plural = name.matches(".*(s|x|ch|sh)$") ? name + "es" : name + "s";
        return (n < COUNT_WORDS.length ? COUNT_WORDS[n] : Integer.toString(n)) + " " + plural;
    }
}
