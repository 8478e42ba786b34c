package dev.gantry.hub;

import java.io.IOException;
import java.net.URI;

/** One hub's protocol: pins a revision to a commit with its file list, and names the URL of each file. Blocking. */
public interface ModelHub {

  /** The repository's files at the revision's commit; {@link HubException} 404 for an unknown repo or revision, 403 gated. */
  ResolvedRepo resolve(HubRequest request) throws IOException;

  /** Where a file of a pinned snapshot is downloaded from (redirects are followed by {@link HubHttp}). */
  URI fileUrl(HubSnapshot snapshot, HubFile file);

  /** A resolved revision: its commit and every file in it. */
  record ResolvedRepo(String commit, java.util.List<HubFile> files) {
  }

  static ModelHub of(HubKind kind, HubHttp http) {
    return kind == HubKind.HUGGINGFACE ? new HuggingFaceHub(http) : new ModelScopeHub(http);
  }

  /** Resolves and selects the files the request asks for: the snapshot a model spec keeps. */
  static HubSnapshot snapshot(ModelHub hub, HubRequest request) throws IOException {
    ResolvedRepo repo = hub.resolve(request);
    FileSelection selection = FileSelection.choose(repo.files(), request.file(), request.hubName() + " " + request.repo());
    return new HubSnapshot(request.kind(), request.endpoint(), request.repo(), request.revision(), repo.commit(),
        selection.files(), selection.mainFile());
  }
}
