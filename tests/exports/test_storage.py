"""Where export files are kept: local files by default, object storage when a bucket is configured."""

from tests.config.test_settings import PRODUCTION_ENV, manage

SHOW = (
    "from django.core.files.storage import storages; s = storages['exports']; "
    "print(type(s).__name__, getattr(s, 'bucket_name', None) or s.location)"
)


def test_export_files_are_local_files_under_media_root_by_default(tmp_path):
    shown = manage("shell", "-v", "0", "-c", SHOW, env={**PRODUCTION_ENV, "MEDIA_ROOT": str(tmp_path)})

    assert shown.stdout.strip() == f"FileSystemStorage {tmp_path / 'exports'}", shown.stderr


def test_export_files_go_to_object_storage_when_a_bucket_is_set():
    """django-storages' S3 backend, for S3 or any S3-compatible store; nothing is contacted until a file is saved."""
    env = {**PRODUCTION_ENV, "EXPORTS_S3_BUCKET": "ltt-exports", "EXPORTS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}

    shown = manage("shell", "-v", "0", "-c", SHOW, env=env)

    assert shown.stdout.strip() == "S3Storage ltt-exports", shown.stderr
