// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "popcode",
    products: [
        .executable(name: "popcode", targets: ["popcode"]),
        // The dashboard (`popcode serve` starts it): its own product, so that building
        // `popcode` alone never builds the HTTP server and its dependencies.
        .executable(name: "popcode-serve", targets: ["popcode-serve"]),
        .library(name: "PopCode", targets: ["PopCode"]),
        .library(name: "PopCodeRunner", targets: ["PopCodeRunner"]),
        .library(name: "PopCodeSVG", targets: ["PopCodeSVG"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // No traits: the dashboard needs neither swift-configuration nor full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Already in Hummingbird's graph; named for the dashboard's address, log level and headers.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // A run's arrays as one numpy `.npz` (a zip of `.npy` files), written and read in memory.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
                cSettings: [.unsafeFlags(["-mavx2", "-mfma", "-O3", "-ffp-contract=off"])],
                linkerSettings: [.linkedLibrary("sleef")]),

        .target(name: "PopCode", dependencies: ["CBLAS", "CVectorMath"],
                swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
        // Charts as SVG markup (scales, axes, marks, legends, colour maps): the report's
        // drawing layer, for anything that draws popcode's results (report, dashboard).
        .target(name: "PopCodeSVG"),
        .target(name: "PopCodeRunner", dependencies: [
            "PopCode", "PopCodeSVG", "CLibYAML",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .executableTarget(name: "popcode-bench", dependencies: ["PopCode", "PopCodeRunner"]),
        // `popcode serve`'s options, shared by `popcode` (which checks them and starts
        // popcode-serve) and popcode-serve (which parses them again): one definition.
        .target(name: "PopCodeServeOptions", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "popcode", dependencies: [
            "PopCode", "PopCodeRunner", "PopCodeServeOptions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The dashboard: routes and pages on Hummingbird, reading run folders and the queue.
        .target(name: "PopCodeServe", dependencies: [
            "PopCode", "PopCodeRunner", "PopCodeSVG",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "popcode-serve", dependencies: [
            "PopCodeServe", "PopCodeServeOptions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "PopCodeTests", dependencies: ["PopCode"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PopCodeRunnerTests", dependencies: ["PopCodeRunner"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PopCodeSVGTests", dependencies: ["PopCodeSVG"]),
        .testTarget(name: "popcodeCLITests", dependencies: ["popcode"]),
        .testTarget(name: "PopCodeServeTests", dependencies: [
            "PopCodeServe",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
