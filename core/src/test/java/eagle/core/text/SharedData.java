package eagle.core.text;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared data folder: the system property {@code eagle.shared.dir} (surefire sets it), else
 * {@code ../../shared} relative to the module, else {@code ../shared}.
 */
final class SharedData {

  private SharedData() {}

  static Path clip(String file) {
    String property = System.getProperty("eagle.shared.dir");
    Path shared = property != null && Files.isDirectory(Path.of(property, "clip"))
        ? Path.of(property)
        : Files.isDirectory(Path.of("..", "..", "shared", "clip")) ? Path.of("..", "..", "shared")
        : Path.of("..", "shared");
    return shared.resolve("clip").resolve(file);
  }
}
