from django.urls import path

from .views import messaging, staff, voice

app_name = "twilio_channel"

urlpatterns = [
    # Twilio's webhooks (signed; see README "Connecting a Twilio number").
    path("voice/", voice.incoming, name="voice"),
    path("voice/menu/", voice.menu_choice, name="voice_menu"),
    path("voice/wait/", voice.wait_music, name="voice_wait"),
    path("voice/wait/key/", voice.wait_key, name="voice_wait_key"),
    path("voice/queue-result/", voice.queue_result, name="voice_queue_result"),
    path("voice/consent/", voice.consent, name="voice_consent"),
    path("voice/voicemail/", voice.voicemail, name="voice_voicemail"),
    path("voice/recording/", voice.recording_status, name="voice_recording"),
    path("voice/transcription/", voice.transcription, name="voice_transcription"),
    path("voice/status/", voice.call_status, name="voice_status"),
    path("voice/join/", voice.join, name="voice_join"),
    path("voice/conference/", voice.conference, name="voice_conference"),
    path("voice/legs/<int:pk>/", voice.leg_answered, name="voice_leg"),
    path("voice/legs/<int:pk>/accept/", voice.leg_accept, name="voice_leg_accept"),
    path("voice/legs/<int:pk>/status/", voice.leg_status, name="voice_leg_status"),
    path("messaging/", messaging.incoming, name="messaging"),
    path("messaging/status/", messaging.status, name="messaging_status"),
    # Recorded prompts, fetched by Twilio for <Play>.
    path("prompts/<str:source>/<int:pk>/<str:name>", staff.prompt_audio, name="prompt_audio"),
    # Staff.
    path("desk/", staff.desk, name="desk"),
    path("desk/waiting/", staff.desk_waiting, name="desk_waiting"),
    path("desk/phone/", staff.phone_save, name="phone_save"),
    path("desk/availability/", staff.availability, name="availability"),
    path("tickets/<str:reference>/call/", staff.ticket_call, name="ticket_call"),
    path(
        "tickets/<str:reference>/whatsapp-template/",
        staff.ticket_whatsapp_template,
        name="ticket_whatsapp_template",
    ),
    path("calls/<int:pk>/interpreter/", staff.call_interpreter, name="call_interpreter"),
    path("recordings/<int:pk>/", staff.recording_play, name="recording"),
    path("recordings/<int:pk>/delete/", staff.recording_delete, name="recording_delete"),
]
