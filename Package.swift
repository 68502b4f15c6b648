// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "popcode",
    products: [
        .executable(name: "popcode", targets: ["popcode"]),
        .library(name: "PopCode", targets: ["PopCode"]),
        .library(name: "PopCodeRunner", targets: ["PopCodeRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, each imported by exactly one Swift file.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        // SLEEF's 4-wide AVX2 exp/tanh behind a plain pointer API (sleef.h only declares
        // the __m256d functions when compiled with AVX2 enabled).
        .target(name: "CVectorMath",
                cSettings: [.unsafeFlags(["-mavx2", "-mfma", "-O3"])],
                linkerSettings: [.linkedLibrary("sleef")]),

        .target(name: "PopCode", dependencies: ["CBLAS", "CVectorMath"],
                swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
        .target(name: "PopCodeRunner", dependencies: [
            "PopCode", "CLibYAML",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "popcode-bench", dependencies: ["PopCode", "PopCodeRunner"]),
        .executableTarget(name: "popcode", dependencies: [
            "PopCode", "PopCodeRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "PopCodeTests", dependencies: ["PopCode"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PopCodeRunnerTests", dependencies: ["PopCodeRunner"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "popcodeCLITests", dependencies: ["popcode"]),
    ],
    swiftLanguageModes: [.v6]
)
