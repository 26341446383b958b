import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maps.demo import city_geojson
from maps.services import BoundaryError, boundaries_load


class Command(BaseCommand):
    help = (
        "Store district outlines from a GeoJSON FeatureCollection (features with properties.kind = district and "
        "properties.code = a district code; WGS-84). Without --file: the demo city's outlines. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="A GeoJSON file of district outlines (default: the demo city's).")

    def handle(self, *args, **options):
        if options["file"]:
            try:
                geojson = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        else:
            geojson = city_geojson()
        try:
            count = boundaries_load(geojson=geojson)
        except BoundaryError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"district outlines stored: {count}")
