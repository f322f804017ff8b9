-- The appointment's video room lives in appointments.video_rooms (0030); the placeholder
-- column the core migration reserved for it was never written, so it goes.

ALTER TABLE appointments.appointments
DROP CONSTRAINT appointments_video_room_length,
DROP COLUMN video_room;
