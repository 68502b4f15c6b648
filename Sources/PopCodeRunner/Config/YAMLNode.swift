/// A node of a parsed YAML document, with the place it was written.
///
/// The tree is what the YAML text says after anchors, aliases and merge keys are resolved:
/// an alias is replaced by a copy of the node it names (keeping that node's marks, i.e. the
/// place where the value is actually written), and a mapping with a `<<` merge key holds
/// the merged pairs in place of the `<<` pair. No scalar is interpreted: `0.1` and `"0.1"`
/// are both scalars with the text `0.1`, told apart by their `style`.
public struct YAMLNode: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        /// Pairs in the order they were written.
        case mapping([Pair])
    }

    public struct Scalar: Sendable, Hashable {
        public let value: String
        public let style: ScalarStyle
        /// The resolved tag (`tag:yaml.org,2002:str` for `!!str`), or `nil` when none was written.
        public let tag: String?

        public init(value: String, style: ScalarStyle = .plain, tag: String? = nil) {
            self.value = value
            self.style = style
            self.tag = tag
        }
    }

    public enum ScalarStyle: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded

        /// Whether the scalar was written as a plain (unquoted, non-block) scalar,
        /// the only style whose type YAML infers from the text.
        public var isPlain: Bool { self == .plain }
    }

    public struct Pair: Sendable, Hashable {
        public let key: YAMLNode
        public let value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public let kind: Kind
    /// Where the node starts: the first character of a scalar (its opening quote if quoted),
    /// the `[`/`{` of a flow collection, the first entry of a block collection; or, when the
    /// node has an anchor or a tag, that anchor or tag (`&a 1` starts at `&`).
    public let mark: SourceMark

    public init(_ kind: Kind, mark: SourceMark) {
        self.kind = kind
        self.mark = mark
    }

    /// The scalar, if this node is one.
    public var scalar: Scalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    /// A short name of the node's kind for messages: "a list", "a mapping" or "a scalar".
    public var kindName: String {
        switch kind {
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// Whether two nodes hold the same content, ignoring marks and scalar styles
    /// (YAML compares mapping keys this way: `lr` and `"lr"` are the same key).
    public func hasSameContent(as other: YAMLNode) -> Bool {
        switch (kind, other.kind) {
        case (.scalar(let a), .scalar(let b)):
            return a.value == b.value
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.hasSameContent(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy {
                $0.key.hasSameContent(as: $1.key) && $0.value.hasSameContent(as: $1.value)
            }
        default:
            return false
        }
    }
}
