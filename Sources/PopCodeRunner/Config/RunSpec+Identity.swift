import PopCode

extension RunSpec {
    /// The text a run id is hashed from: every field as `key=value`, keys being the
    /// snake_case `CodingKeys` in ascending (byte) order, joined by `,` with no spaces:
    ///
    ///     batch_size=64,epochs=200,history_every=1,lr=0.1,n_enc_hidden=64,n_hidden=225,n_implicit=3,n_test=500,n_train=2000,seed=0,sigma=0.18
    ///
    /// Integers are written in decimal; doubles by Swift's shortest round-trip `description`
    /// (`0.1`, `1e-05`, `200.0`), with `-0.0` written as `0.0` so that equal specs give equal
    /// text; names (`task=bars`) as they are. Keys added after the first release
    /// (`CodingKeys.isOptional`: `task`, `model`, `code_weight`, …) are left out while they
    /// hold their default, so the text, and the id, of every spec that could be written before
    /// they existed stays what it was; a spec that sets one gets `key=value` in its place in
    /// the order. The text depends only on the field values, so it is the same across
    /// processes, files and versions.
    public var canonicalText: String {
        var text = ""
        text.reserveCapacity(160)
        let defaults = RunSpec()
        for key in Self.canonicalKeyOrder {
            let value = value(for: key)
            if key.isOptional && value == defaults.value(for: key) { continue }
            if !text.isEmpty { text += "," }
            text += key.rawValue
            text += "="
            switch value {
            case .int(let value): text += value.description
            case .double(let value): text += (value == 0 ? 0.0 : value).description
            case .string(let value): text += value
            }
        }
        return text
    }

    /// The keys in ascending byte order of their names.
    private static let canonicalKeyOrder = CodingKeys.allCases.sorted { $0.rawValue < $1.rawValue }

    /// A stable run id: the 64-bit FNV-1a hash (`FNV1a`) of the UTF-8 bytes of
    /// `canonicalText`, as 16 lowercase hex digits.
    public var id: String { FNV1a.hex(canonicalText) }
}
