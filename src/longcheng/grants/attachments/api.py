"""The upload edge every grants attachment route shares: the file field, its read limit, the answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, File, Request, UploadFile
from pydantic import BaseModel

from longcheng.core.http import state_of

READ_LIMIT = 50 * 1024 * 1024 + 1  # past every item's limit, so a larger file is refused, not cut


class AttachmentRead(BaseModel):
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Upload:
    """The uploaded file's name and bytes, and the data dir the file store lives under."""

    name: str
    data: bytes
    root: Path


def _upload(request: Request, file: Annotated[UploadFile, File()]) -> Upload:
    data = file.file.read(READ_LIMIT)
    return Upload(file.filename or "附件", data, state_of(request).settings.data_dir)


UploadDep = Annotated[Upload, Depends(_upload)]
