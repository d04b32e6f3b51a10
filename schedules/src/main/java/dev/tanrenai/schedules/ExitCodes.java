package dev.tanrenai.schedules;

/** Says in words what a child's exit code means. */
final class ExitCodes {
    private ExitCodes() {}

    static String describe(int code) {
        if (code == 0) {
            return "exit 0";
        }
        if (code > 128 && code <= 128 + 64) {
            int signal = code - 128;
            String name =
                    switch (signal) {
                        case 6 -> "SIGABRT: a native abort, e.g. in llama.cpp or libtorch";
                        case 9 -> "SIGKILL: kill -9 or the kernel's out-of-memory killer";
                        case 11 -> "SIGSEGV: a native crash";
                        case 15 -> "SIGTERM: asked to stop";
                        default -> "signal " + signal;
                    };
            return "exit " + code + " (killed by signal " + signal + ", " + name + ")";
        }
        if (code == 3) {
            return "exit 3 (with -XX:+ExitOnOutOfMemoryError: the JVM ran out of heap; or the run's own exit code 3)";
        }
        return "exit " + code;
    }
}
