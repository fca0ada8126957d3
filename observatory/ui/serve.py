"""`make run`: the app's server, started once its landing page is ready.

`streamlit run` imports the app's libraries, opens the database and builds the landing page
cold when the first visitor arrives: that visitor waited far longer than ../shared/DESIGN.md
(outside the repository, § 9) allows before seeing a figure (bench/README.md, section « Chiffres
mesurés », « Première vue d'un serveur qui vient de démarrer »). Here those steps run first, in the
server's own process (observatory/runtime.py: the first visitor's run finds the same table builder and the page
already built), then the server starts exactly as `streamlit run` would (its command
line, in this process). The other pages' default views follow in the background warm-up.

    python -m observatory.ui.serve [--address 127.0.0.1] [--port 8501] [streamlit options...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
LANDING = "vue_ensemble"  # the default page of the navigation (observatory/ui/shell.py)


def prepare() -> float | None:
    """The process prepared (observatory/runtime.py), then the landing page's default view built:
    the seconds it took, or None when there is no snapshot to serve."""
    from observatory import runtime

    runtime.prepare_process()
    return runtime.prepare_server(LANDING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serveur de l'observatoire, prêt dès la première visite.")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    args, streamlit_options = parser.parse_known_args(argv)
    try:
        took = prepare()
    except Exception as error:  # any failure: the app reports it to its visitors
        print(f"Page d'accueil non préparée ({error}) : elle sera calculée à la première visite.", file=sys.stderr)
    else:
        if took is not None:
            print(f"Page d'accueil prête en {took:.1f} s.", flush=True)
    from streamlit.web import cli

    from observatory.ui import hardening

    hardening.install_guard()
    cli.main.main(["run", str(DASHBOARD), "--server.address", args.address, "--server.port", str(args.port),
                   *streamlit_options], prog_name="streamlit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
