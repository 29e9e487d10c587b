"""What an uploaded image costs the upload gate: peak memory and time, one fresh process each.

Run from a checkout: `DJANGO_DEBUG=1 .venv/bin/python bench/upload_images.py`. Cases: a
decompression bomb (a 39.7-megapixel PNG of about 125 KB) sent as a 512-pixel logo, a plain
19.2-megapixel PNG sent as a logo and as a gallery image, and a 12-megapixel JPEG photograph
sent as a 600-pixel speaker photo. Prints
the verdict, the peak resident memory above the process's baseline and the wall time.
"""

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "PNG bomb 7700x5156 as a logo (512x512)": ("bomb", (512, 512)),
    "PNG 4800x4000 (19.2 MP) as a logo (512x512)": ("large", (512, 512)),
    "PNG 4800x4000 (19.2 MP) as a gallery image (1600x1200)": ("large", (1600, 1200)),
    "JPEG photo 4000x3000 as a speaker photo (600x600)": ("photo", (600, 600)),
}


def picture(kind: str) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    if kind == "bomb":
        Image.new("RGB", (7700, 5156), (250, 250, 250)).save(output, format="PNG")
    elif kind == "large":
        Image.new("RGB", (4800, 4000), (250, 250, 250)).save(output, format="PNG")
    else:
        noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
        noise.save(output, format="JPEG", quality=85)
    return output.getvalue()


def _peak() -> int:
    """The process's peak resident memory in KB (Linux: VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> int:
    """Start the peak again from the current resident memory (Linux), and return it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _peak()


def run_one(path: str, max_size: tuple[int, int]) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ciep.uploads import process_image

    content = Path(path).read_bytes()
    baseline = _reset_peak()
    started = time.perf_counter()
    try:
        result = process_image(SimpleUploadedFile("upload", content), max_size=max_size)
        verdict = f"accepted, stored {result.size} B"
    except ValidationError as error:
        verdict = f"refused: {error.messages[0]}"
    seconds = time.perf_counter() - started
    peak = _peak()
    return {
        "bytes": len(content),
        "verdict": verdict,
        "peak_mb": (peak - baseline) / 1024,
        "seconds": seconds,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        width, height = map(int, sys.argv[3].split("x"))
        print(json.dumps(run_one(sys.argv[2], (width, height))))
        return
    for label, (kind, (width, height)) in CASES.items():
        # Drawn here, so that drawing it does not count in the measuring process's peak.
        with tempfile.NamedTemporaryFile(suffix=".upload") as upload:
            upload.write(picture(kind))
            upload.flush()
            answer = subprocess.run(
                [sys.executable, __file__, "--one", upload.name, f"{width}x{height}"],
                capture_output=True,
                text=True,
                check=True,
            )
        figures = json.loads(answer.stdout.strip().splitlines()[-1])
        print(
            f"{label}: {figures['bytes'] // 1024} KB, {figures['verdict']}; "
            f"peak +{figures['peak_mb']:.0f} MB, {figures['seconds']:.2f} s"
        )


if __name__ == "__main__":
    main()
