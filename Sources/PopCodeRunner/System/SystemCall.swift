import Foundation

/// The one place that calls into the C library's system calls the runner needs: retries
/// `EINTR` and turns `errno` into a sentence.
enum SystemCall {
    /// Calls `body` again while it fails with `EINTR` (a signal arrived during the call).
    static func retryingInterrupts<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let result = body()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// The system's sentence for `code` (default: the current `errno`), e.g. "No space left on device".
    static func reason(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
