#if canImport(Glibc)
import Glibc
#endif
import CStanceSystem

/// Starts a body on a new POSIX thread of its own (detached): the daemon's reader, pipeline, hub
/// and writer threads, without Foundation's `Thread` (stanced does not load all of Foundation).
public enum DetachedThread {
    private final class Box {
        let name: String
        let body: () -> Void
        init(_ name: String, _ body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// - Parameter name: at most 15 bytes, shown by `top -H` and in `/proc/PID/task/*/comm`.
    /// - Returns: false when no thread could be made (a resource limit): `body` does not run.
    @discardableResult
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(String(decoding: name.utf8.prefix(15), as: UTF8.self), body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            _ = stance_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
