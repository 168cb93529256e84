from django.core.management.base import BaseCommand
from tqdm import tqdm

from knowledgebase.selectors.articles import index_size
from knowledgebase.services.index import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the knowledge-base search index from the database. Run it where the search "
        "queue's worker runs (it takes the index's write lock); pages keep reading meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, no_progress: bool, **options):
        with tqdm(
            total=index_size(),
            unit="article",
            disable=no_progress or options["verbosity"] == 0,
            file=self.stderr._out,
        ) as bar:

            def progress(done: int) -> None:
                bar.update(done - bar.n)

            count = index_rebuild(progress=progress)
        self.stdout.write(f"{count} articles in the index.")
