import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` computed on every core: the elements in contiguous chunks, a few per
    /// core, results in the elements' order. For work such as decoding thousands of
    /// metrics.json files, where each element costs far more than the hand-off.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let chunks = Swift.min(count, 4 * ProcessInfo.processInfo.activeProcessorCount)
        let results = Mutex<[[T]]>(Array<[T]>(repeating: [], count: chunks))
        let elements = self
        let count = self.count
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let part = elements[(chunk * count / chunks)..<((chunk + 1) * count / chunks)].map(transform)
            results.withLock { $0[chunk] = part }
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}
