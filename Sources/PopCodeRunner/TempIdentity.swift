import PopCode
extension RunSpec { public var id: String { "0000000000000000" } }
