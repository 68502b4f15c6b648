/// Which runs `popcode queue cancel` and `popcode queue retry` act on.
public enum QueueSelection: Sendable, Hashable {
    /// Every run with this spec id (one per experiment holding it).
    case run(id: String)
    /// Every run of the experiment with this name.
    case experiment(String)
    /// Every run (for cancel: every pending run; running runs go on).
    case all
}
