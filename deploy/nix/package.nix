# fleetward built from this repository with Maven (nixpkgs' maven.buildMavenPackage):
#   nix-build -E 'with import <nixpkgs> { }; callPackage ./deploy/nix/package.nix { }'
#
# mvnHash is the hash of the Maven dependencies that buildMavenPackage downloads in a fixed-output
# derivation. After a change of pom.xml: set it to lib.fakeHash, build once, and copy the hash
# that the failure reports ("got: sha256-...") here.
{ lib, maven, jdk17_headless, jre_headless, makeWrapper }:

maven.buildMavenPackage {
  pname = "fleetward";
  version = "0.1.0-SNAPSHOT";

  src = lib.cleanSourceWith {
    src = ../..;
    filter = path: type:
      let relative = lib.removePrefix (toString ../.. + "/") (toString path);
      in !(lib.hasPrefix "target" relative || lib.hasPrefix "data" relative || lib.hasPrefix "helm" relative);
  };

  mvnJdk = jdk17_headless;
  mvnHash = lib.fakeHash;
  # The tests need OpenSSH servers, PostgreSQL and root: CI runs them (.ci/run), not the Nix build.
  # (doCheck = false makes buildMavenPackage pass -DskipTests, to the dependency fetch too.)
  doCheck = false;

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    mkdir -p $out/share/fleetward $out/bin
    cp -r target/quarkus-app/. $out/share/fleetward/
    # JDK_JAVA_OPTIONS (set by the module) adds JVM options; arguments after this go to fleetward.
    makeWrapper ${jre_headless}/bin/java $out/bin/fleetward \
      --add-flags "-jar $out/share/fleetward/quarkus-run.jar"
    runHook postInstall
  '';

  meta = {
    description = "GitOps daemon for Nix fleets (NixOS, nix-darwin, home-manager)";
    mainProgram = "fleetward";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}
