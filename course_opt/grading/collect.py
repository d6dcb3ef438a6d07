"""Bring the students' submissions of a problem set into ``submitted/<student>/<ps>/``.

``SRC`` is either

* a folder laid out as nbgrader's ``submitted/``: ``SRC/<student>/<ps>/...``; each student's
  folder is copied as it is (a folder collected again replaces the earlier copy);
* a folder of ``<student>.zip`` files (one archive per student, as a learning platform
  exports them). nbgrader's ``zip_collect`` does the work: the archives are copied to
  ``downloaded/<ps>/archive/``, extracted, and each file is copied to
  ``submitted/<student>/<ps>/`` with the student id taken from the archive's name. An
  archive that cannot be opened is not given to nbgrader (it would stop the whole
  collection); its student gets an empty submission folder and a note, so that grading
  gives them a row of zeros and a feedback file that says why.

What is inside a submission is only checked when grading (``submissions.normalize``).
"""

import re
import shutil
import zipfile
from pathlib import Path

from course_opt.grading.course import GLOB_CHARACTERS, GradingError, write_atomically
from course_opt.grading.submissions import COLLECT_ERROR

# A student id taken from a folder or an archive name.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
# Files that zip_collect copies into the submission (others are left out, with no effect
# on grading: only the notebook is graded). nbgrader's default is notebooks only; the rest
# is listed so that the feedback can tell the student which files were ignored.
COLLECTED_SUFFIXES = [".ipynb", ".py", ".txt", ".md", ".csv", ".json", ".png", ".jpg", ".pdf", ".html"]


def _check_student(student, origin):
    if not STUDENT_ID.match(student) or GLOB_CHARACTERS.search(student):
        raise GradingError(f"{origin}: {student!r} is not usable as a student id "
                           f"(letters, digits and . _ @ + - only)")


def collect(course, ps, src, say=print):
    """Collect ``src`` into the course; returns the list of student ids collected."""
    src = Path(src).resolve()
    if not src.is_dir():
        raise GradingError(f"{src} is not a folder")
    archives = sorted(src.glob("*.zip"))
    folders = sorted(path.parent for path in src.glob(f"*/{ps}") if path.is_dir())
    if archives and folders:
        raise GradingError(f"{src} holds both <student>.zip files and <student>/{ps}/ folders: collect one kind")
    if folders:
        students = _collect_folders(course, ps, folders)
    elif archives:
        students = _collect_archives(course, ps, archives, say)
    else:
        raise GradingError(f"{src} holds neither <student>/{ps}/ folders nor <student>.zip files")
    say(f"{ps}: collected {len(students)} submissions into {course.root / 'submitted'}")
    return students


def _collect_folders(course, ps, folders):
    for folder in folders:
        _check_student(folder.name, folder)
    for folder in folders:
        target = course.root / "submitted" / folder.name / ps
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder / ps, target)
    return [folder.name for folder in folders]


def _collect_archives(course, ps, archives, say):
    for archive in archives:
        _check_student(archive.stem, archive)
    download = course.root / "downloaded" / ps / "archive"
    if download.exists():
        shutil.rmtree(download)
    download.mkdir(parents=True)
    broken = {}
    for archive in archives:
        try:
            with zipfile.ZipFile(archive) as opened:
                damaged = opened.testzip()
            if damaged is not None:
                raise zipfile.BadZipFile(f"the file {damaged} inside it is damaged")
        except (zipfile.BadZipFile, OSError) as error:
            broken[archive.stem] = str(error)
            continue
        shutil.copy2(archive, download / archive.name)
    for student in [archive.stem for archive in archives]:
        target = course.root / "submitted" / student / ps
        if target.exists():
            shutil.rmtree(target)
    if len(broken) < len(archives):
        course.nbgrader(
            "zip_collect", ps, "--force",
            "--FileNameCollectorPlugin.named_regexp="
            r".*[/\\]extracted[/\\](?P<student_id>[^/\\]+)[/\\](?:.*[/\\])?(?P<file_id>[^/\\]+)$",
            f"--FileNameCollectorPlugin.valid_ext={COLLECTED_SUFFIXES}",
        )
    for student, error in broken.items():
        say(f"  {student}.zip could not be opened: {error}")
        write_atomically(course.root / "submitted" / student / ps / COLLECT_ERROR,
                         f"your zip file {student}.zip could not be opened: {error}")
    students = [archive.stem for archive in archives]
    for student in students:  # an archive with no file nbgrader collects still makes a submission
        (course.root / "submitted" / student / ps).mkdir(parents=True, exist_ok=True)
    return students
