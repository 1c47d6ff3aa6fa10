//! The generated tree on disk: reading it, and replacing it with a new one by writing only
//! the files that changed. Only files the generator wrote are ever replaced or removed (see
//! `manifest`): an output directory may hold other files, which are left as they are.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::thousands;

mod manifest;
#[cfg(test)]
mod tests;

use manifest::Owner;
pub use manifest::{MANIFEST, Ownership, foreign_directory, some_paths};

/// Threads creating new files (see `Staging::create_all`): waits on the file system overlap
/// whatever the cores.
const CREATING_THREADS: usize = 4;

/// Ends the name of every temporary file [`temp_sibling`] makes.
const TEMP_SUFFIX: &str = ".codegen-tmp";

/// Writes `path` through a temporary sibling and a rename.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let file = temp_sibling(path)?;
    write_temp(file, path, text)?
        .persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// An empty temporary file in `target`'s directory, named `.{name}.XXXXXX.codegen-tmp`:
/// hidden, and recognisable should a killed run leave it behind.
fn temp_sibling(target: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = target
        .parent()
        .with_context(|| format!("{} has no parent directory", target.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // `tempfile` makes files only their owner can read (0600); a generated file gets the
    // mode any new file gets (0666 less the umask), as `fs::write` would give it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))
}

/// Whether `name` is that of a temporary file [`temp_sibling`] made: one a killed run left
/// behind holds (part of) a generated file, and is the generator's to remove.
fn is_temp_file_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// Writes `text` into `file` and closes it (thousands of staged files must not hold
/// thousands of descriptors), keeping only its path, which still deletes it when dropped.
fn write_temp(
    mut file: tempfile::NamedTempFile,
    target: &Path,
    text: &str,
) -> Result<tempfile::TempPath> {
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {} for {}", file.path().display(), target.display()))?;
    Ok(file.into_temp_path())
}

/// Every file under `dir` (relative path with `/` → path); empty if `dir` does not exist.
///
/// Skipped at any depth: `target` and `Cargo.lock`, the build output and lock file of a
/// generated crate, which are not generated files and must survive regeneration; and `.git`
/// (a directory, or the file of a worktree), which is never read, walked into or touched.
/// Skipped at the root: the [`MANIFEST`], which is bookkeeping, not part of the tree.
/// Entries are classified without following symbolic links, so a link is listed as a file
/// and never walked into: nothing outside `dir` is read as part of the tree or removed.
fn list_tree(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("listing {}", current.display()))?
        {
            let entry = entry.with_context(|| format!("listing {}", current.display()))?;
            let name = entry.file_name();
            if name == "target" || name == "Cargo.lock" || name == ".git" {
                continue;
            }
            if (name == MANIFEST || name == manifest::LEGACY_MANIFEST) && current == dir {
                continue;
            }
            let path = entry.path();
            let kind = entry
                .file_type()
                .with_context(|| format!("reading the type of {}", path.display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .context("path outside the output directory")?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, path);
            }
        }
    }
    Ok(files)
}

/// What [`read_tree`] found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OnDisk {
    /// The text of every file the generator wrote, and of any other file at a path in
    /// `wanted` (it stands where a generated file goes, so it is compared like one).
    pub files: BTreeMap<String, String>,
    /// The relative paths of the other files, which were not read: what is beside the
    /// generated files is not the generator's business, nor necessarily text.
    pub foreign: Vec<String>,
}

/// Reads the generated tree under `dir` (see `list_tree`), telling the generator's files
/// from others as `ownership` says.
pub fn read_tree(
    dir: &Path,
    ownership: Ownership,
    wanted: &BTreeMap<String, String>,
) -> Result<OnDisk> {
    let owner = Owner::load(dir, ownership)?;
    let mut on_disk = OnDisk::default();
    for (relative, path) in list_tree(dir)? {
        if !wanted.contains_key(&relative) && !owner.wrote(&relative, &path)? {
            on_disk.foreign.push(relative);
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        on_disk.files.insert(relative, text);
    }
    Ok(on_disk)
}

/// What [`sync_tree`] did to the output directory.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// Files created or replaced.
    pub written: usize,
    /// Files removed because the generator no longer produces them.
    pub removed: usize,
    /// Files that already held the generated bytes, left alone.
    pub unchanged: usize,
    /// Files the generator did not write and does not write now, left alone.
    pub kept: usize,
}

impl fmt::Display for Synced {
    /// `wrote 3 files, removed 1, 1,941 unchanged`, then `, kept 2 files the generator did
    /// not write` when there are any: those are worth a word, the user may expect them gone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |n: usize| thousands(n as u64);
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        write!(
            f,
            "wrote {} {}, removed {}, {} unchanged",
            count(self.written),
            files(self.written),
            count(self.removed),
            count(self.unchanged)
        )?;
        if self.kept > 0 {
            write!(
                f,
                ", kept {} {} the generator did not write",
                count(self.kept),
                files(self.kept)
            )?;
        }
        Ok(())
    }
}

/// Makes the generated tree under `out` exactly `files` (relative path → contents), writing
/// only what differs and touching only files the generator wrote, in two phases:
///
/// 1. Stage: each changed file is written to a hidden temporary sibling in its final
///    directory (missing directories, `out` included, are created); each new file, where no
///    file is, is written in place, since there is nothing to keep, several at a time, once
///    every path has been checked. Unchanged files (same
///    bytes) are not written at all, so their inode and mtime stay as they were, which
///    keeps cargo's incremental builds and open editors undisturbed.
/// 2. Commit: each temporary file is renamed over its target, then the files the generator
///    wrote before but no longer produces are removed, then the directories that removal
///    left empty; then, with [`Ownership::Manifest`], the [`MANIFEST`] is written.
///
/// Which files are the generator's is `ownership`'s to say (see `manifest`). The others
/// are never removed: they are counted in [`Synced::kept`]. Nor are they overwritten: a
/// generated file whose path holds one is an error, before anything is written (moving the
/// file away is the user's call, not the generator's).
///
/// Guaranteed: if anything fails before the commit (reading the previous tree, creating a
/// directory or temporary file, writing it, a file to be written where a directory is or
/// where a file the generator did not write is, a path generated both as a file and as a
/// directory), the previous tree is as it was: the temporary files, the new files and the
/// directories this call created are removed (best effort) and the error is returned. `target/`,
/// `Cargo.lock` and `.git`, at any depth, are never removed, nor replaced unless `files`
/// names them. `out` existing as something other than a directory is an error.
///
/// Not guaranteed: the commit is a series of renames and removals, not one atomic step, and
/// new files appear during the stage. A reader during the call sees a mix of old and new
/// files, and a failure or crash in the commit (a rename refused, the process killed), or a
/// crash in the stage, leaves such a mix; rerunning finishes the job (the previous manifest,
/// written last, still lists what that run wrote; a new file starts with `@generated`), and
/// removes any `.*.codegen-tmp` file a killed run left. Nothing is fsynced, so after a power loss
/// recently written files may be empty.
pub fn sync_tree(
    out: &Path,
    files: &BTreeMap<String, String>,
    ownership: Ownership,
) -> Result<Synced> {
    match fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a directory", out.display()),
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(|| format!("reading {}", out.display())),
    }
    let owner = Owner::load(out, ownership)?;
    // Listed before staging, so that this call's temporary files are not taken for stale;
    // sorted out now, so that a file that cannot be read fails the call while it is free.
    let existing = list_tree(out)?;
    let (stale, kept) = stale_files(&existing, files, &owner)?;

    // Stage. Returning early drops `staging`, which undoes everything it did.
    let mut staging = Staging::new(out);
    staging.ensure_dir(out)?;
    let mut unchanged = 0;
    // Collected rather than failing at the first, so that the user moves them all at once.
    let mut refused = Vec::new();
    // Written after the loop, once nothing is refused, and several at a time.
    let mut new_files = Vec::new();
    for (relative, text) in files {
        refuse_file_and_directory(files, relative)?;
        let target = out.join(relative);
        // Every file's directory, unchanged files' too: the check that no file stands where a
        // directory is needed must come before anything is compared or written.
        let dir = target
            .parent()
            .with_context(|| format!("{} has no parent directory", target.display()))?;
        staging.ensure_dir(dir)?;
        // Nothing stands in a directory this call created: no need to look.
        let found = if staging.created_here(dir) {
            Found::Missing
        } else {
            compare(&target, text)?
        };
        match found {
            Found::Same => unchanged += 1,
            Found::Other if !owner.wrote(relative, &target)? => refused.push(relative.clone()),
            Found::Other | Found::Empty => staging.stage(target, text)?,
            Found::Missing => new_files.push((target, text.as_str())),
        }
    }
    if !refused.is_empty() {
        bail!(
            "refusing to overwrite {} in {} that the generator did not write: {}. The generator \
             writes files at these paths, but their first line has no `@generated` and no {MANIFEST} \
             of an earlier run lists them. Nothing was written; move them away and rerun.",
            files_count(refused.len()),
            out.display(),
            some_paths(&refused)
        );
    }

    staging.create_all(new_files)?;

    // Commit.
    let written = staging.commit()?;
    let removed = remove_stale(out, &stale)?;
    if ownership == Ownership::Manifest {
        owner.record(out, files.keys())?;
    }
    Ok(Synced {
        written,
        removed,
        unchanged,
        kept,
    })
}

/// `1 file`, `2 files`.
fn files_count(n: usize) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { "file" } else { "files" }
    )
}

/// Fails when `files` holds both `relative` and a path that would be its directory: the
/// rename of the file would fail in the commit, too late.
fn refuse_file_and_directory(files: &BTreeMap<String, String>, relative: &str) -> Result<()> {
    if let Some((dir, _)) = relative
        .match_indices('/')
        .map(|(end, _)| relative.split_at(end))
        .find(|(dir, _)| files.contains_key(*dir))
    {
        bail!("the generator writes {dir} both as a file and as the directory of {relative}");
    }
    Ok(())
}

/// What stands where a generated file goes.
enum Found {
    Missing,
    /// A file with exactly the generated bytes.
    Same,
    /// A file with other contents, or a symbolic link: replaced by the new file if the
    /// generator wrote it.
    Other,
    /// An empty file: replaced, whoever made it, since there is nothing in it to lose (a
    /// run killed between creating a new file and writing it leaves one).
    Empty,
}

/// What is at `target` compared with `text`. A directory is an error: a rename cannot
/// replace it with a file, so it must fail now, while failing is free.
fn compare(target: &Path, text: &str) -> Result<Found> {
    match fs::symlink_metadata(target) {
        // Comparing lengths first spares reading most changed files.
        Ok(meta) if meta.is_file() && meta.len() == text.len() as u64 => {
            let current =
                fs::read(target).with_context(|| format!("reading {}", target.display()))?;
            Ok(if current == text.as_bytes() {
                Found::Same
            } else {
                Found::Other
            })
        }
        Ok(meta) if meta.is_file() && meta.len() == 0 => Ok(Found::Empty),
        Ok(meta) if meta.is_dir() => bail!(
            "{} is a directory, but the generator writes a file there",
            target.display()
        ),
        Ok(_) => Ok(Found::Other),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Found::Missing),
        Err(error) => Err(error).with_context(|| format!("reading {}", target.display())),
    }
}

/// The files of `existing` that `files` no longer holds and the generator wrote (to be
/// removed), and how many others there are (kept).
fn stale_files(
    existing: &BTreeMap<String, PathBuf>,
    files: &BTreeMap<String, String>,
    owner: &Owner,
) -> Result<(Vec<PathBuf>, usize)> {
    let mut stale = Vec::new();
    let mut kept = 0;
    for (relative, path) in existing {
        if files.contains_key(relative) {
            continue;
        }
        if owner.wrote(relative, path)? {
            stale.push(path.clone());
        } else {
            kept += 1;
        }
    }
    Ok((stale, kept))
}

/// Removes `stale` (files under `out`), then the directories that leaves empty; returns how
/// many files went.
fn remove_stale(out: &Path, stale: &[PathBuf]) -> Result<usize> {
    let mut emptied = BTreeSet::new();
    for path in stale {
        fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        emptied.extend(
            path.ancestors()
                .skip(1)
                .take_while(|dir| *dir != out && dir.starts_with(out))
                .map(Path::to_owned),
        );
    }
    // A directory sorts before everything inside it, so in reverse order each comes after
    // its subdirectories, and a directory that held only emptied ones goes too. Those that
    // still hold something (a `target/`, a generated file, a file kept) stay.
    for dir in emptied.iter().rev() {
        match fs::remove_dir(dir) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::DirectoryNotEmpty => {}
            Err(error) => {
                return Err(error).with_context(|| format!("removing {}", dir.display()));
            }
        }
    }
    Ok(stale.len())
}

/// The stage phase of [`sync_tree`]: temporary files, new files and created directories,
/// removed again when dropped (after a failure) unless committed.
struct Staging {
    out: PathBuf,
    /// Temporary files, each with the path it replaces.
    temps: Vec<(tempfile::TempPath, PathBuf)>,
    /// Files written where no file was: nothing to replace, so no temporary file and no
    /// rename (on a first generation, half the file-system operations per file).
    new_files: Vec<PathBuf>,
    /// Directories this call created, parents first.
    created: Vec<PathBuf>,
    /// The same, to look up.
    created_set: HashSet<PathBuf>,
    /// Directories known to exist, so each is looked at once, not once per file.
    known: HashSet<PathBuf>,
}

impl Staging {
    fn new(out: &Path) -> Self {
        Self {
            out: out.to_owned(),
            temps: Vec::new(),
            new_files: Vec::new(),
            created: Vec::new(),
            created_set: HashSet::new(),
            known: HashSet::new(),
        }
    }

    /// Whether this call created `dir` (so it holds only what this call wrote).
    fn created_here(&self, dir: &Path) -> bool {
        self.created_set.contains(dir)
    }

    /// Writes each text to its target, where no file is, on several threads: creating a
    /// file is a wait on the file system more than work, and a first generation creates
    /// thousands. `create_new` refuses a file that appeared since it was looked at, so
    /// nothing of anyone else's is overwritten. Every file created is listed, written or
    /// not, so that a failure removes them all.
    fn create_all(&mut self, files: Vec<(PathBuf, &str)>) -> Result<()> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let create = |created: &mut Vec<PathBuf>| -> Result<()> {
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((target, text)) = files.get(index) else {
                    return Ok(());
                };
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(target)
                    .with_context(|| format!("creating {}", target.display()))?;
                created.push(target.clone());
                file.write_all(text.as_bytes())
                    .with_context(|| format!("writing {}", target.display()))?;
            }
        };
        let threads = CREATING_THREADS.min(files.len().div_ceil(64)).max(1);
        let outcomes: Vec<(Vec<PathBuf>, Result<()>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut created = Vec::new();
                        let outcome = create(&mut created);
                        (created, outcome)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        (
                            Vec::new(),
                            Err(anyhow::anyhow!("a thread writing files panicked")),
                        )
                    })
                })
                .collect()
        });
        let mut first_error = None;
        for (created, outcome) in outcomes {
            self.new_files.extend(created);
            if let Err(error) = outcome {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Writes `text` to a temporary sibling of `target`, whose directory exists.
    fn stage(&mut self, target: PathBuf, text: &str) -> Result<()> {
        let temp = write_temp(temp_sibling(&target)?, &target, text)?;
        self.temps.push((temp, target));
        Ok(())
    }

    /// Makes sure `dir` is a directory, creating it and its missing parents one by one (not
    /// with `create_dir_all`) so that each can be removed again.
    fn ensure_dir(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut current = dir;
        while !self.known.contains(current) {
            // Below `out` a symbolic link does not count as a directory: files written through
            // it would land outside the tree that `list_tree` sees. `out` and its parents may
            // be links.
            let below_out = current != self.out && current.starts_with(&self.out);
            let meta = if below_out {
                fs::symlink_metadata(current)
            } else {
                fs::metadata(current)
            };
            match meta {
                Ok(meta) if meta.is_dir() => {
                    self.known.insert(current.to_owned());
                    break;
                }
                Ok(_) => bail!(
                    "{} is not a directory, but generated files go inside it",
                    current.display()
                ),
                Err(error) if error.kind() == io::ErrorKind::NotFound => missing.push(current),
                Err(error) => {
                    return Err(error).with_context(|| format!("reading {}", current.display()));
                }
            }
            match current.parent() {
                // A relative path's last parent is empty: the current directory, which exists.
                Some(parent) if !parent.as_os_str().is_empty() => current = parent,
                _ => break,
            }
        }
        for dir in missing.into_iter().rev() {
            fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
            self.created.push(dir.to_owned());
            self.created_set.insert(dir.to_owned());
            self.known.insert(dir.to_owned());
        }
        Ok(())
    }

    /// Renames every temporary file over its target; returns how many files were written,
    /// new ones included.
    fn commit(mut self) -> Result<usize> {
        let temps = std::mem::take(&mut self.temps);
        let count = temps.len() + self.new_files.len();
        // On failure the temporary files not yet renamed are deleted as they drop, and `drop`
        // removes the created directories that no renamed file went into.
        for (temp, target) in temps {
            temp.persist(&target)
                .with_context(|| format!("replacing {}", target.display()))?;
        }
        // Every created directory now holds a committed file, or is `out` itself.
        self.created.clear();
        self.new_files.clear();
        Ok(count)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Best effort: this runs while an error is already on its way to the user, and a
        // leftover temporary file or empty directory is harmless (the next successful run
        // removes it). Each `TempPath` deletes its file as it drops.
        self.temps.clear();
        for file in &self.new_files {
            let _ = fs::remove_file(file);
        }
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}
