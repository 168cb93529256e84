"""Factories for tests. Tickets with history are best made through the services (see conftest)."""

import factory
from django.contrib.auth.models import Group

from helpdesk.models import Channel, Contact, Message, Queue, Ticket, User
from helpdesk.services.references import new_access_token


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    email = factory.LazyAttribute(lambda o: f"{o.username}@infolijn.test")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def queues(self, create, extracted, **kwargs):
        if extracted:
            self.queues.set(Queue.objects.filter(slug__in=extracted))
        self.save()


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Faker("first_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class TicketFactory(factory.django.DjangoModelFactory):
    """A bare ticket row, for tests about lists and access; no events, no messages."""

    class Meta:
        model = Ticket

    queue = factory.LazyFunction(lambda: Queue.objects.get(slug="infolijn"))
    reference = factory.Sequence(lambda n: f"IL-2026-{900000 + n:06d}")
    channel = Channel.EMAIL
    subject = factory.Sequence(lambda n: f"Question number {n}")
    contact = factory.SubFactory(ContactFactory)
    access_token = factory.LazyFunction(new_access_token)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = "in"
    channel = Channel.EMAIL
    body = factory.Faker("paragraph")
    status = "received"
