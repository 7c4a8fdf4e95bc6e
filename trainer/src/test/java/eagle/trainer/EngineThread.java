package eagle.trainer;

import java.util.Map;

/** A {@link TrainerEngine} running in this JVM on its own thread, stopped and joined on close. */
final class EngineThread implements AutoCloseable {

    final TrainerEngine engine;
    private final Thread thread;

    EngineThread(Map<String, String> config, RoundFault fault) throws Exception {
        engine = new TrainerEngine(TrainerSettings.from(config), fault);
        thread = new Thread(engine, "test-trainer");
        thread.start();
    }

    TrainerStatus status() {
        return engine.status();
    }

    /** Whether the engine thread has ended (it ends on its own only when it failed). */
    boolean ended() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        engine.stop();
        thread.join(60_000);
    }
}
