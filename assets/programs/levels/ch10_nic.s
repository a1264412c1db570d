; ch10_nic.s — a kernel sends packets through its network card.
;
; It fills PACKETS buffers of LENGTH bytes, turns the card's bus mastering on (so the card may
; read memory by DMA) and sends them, one after another. One more packet has a bad buffer
; address, past the end of RAM: the card cannot read it and reports an error. At the end the
; kernel reads the card's checksum of everything that went out on the wire and prints it.
; Expected output: "sent 16, errors 1, wire 1769284096", exit code 0.
;
; The unmodified driver (`send_packet`) drives the card's registers: address, length, go,
; status — four register accesses per packet. The modified guest (the Guest choice on
; `tx_addr`) has a virtio driver instead: it puts the packets in a ring in memory and tells the
; device once per BATCH packets.
;ko: ch10_nic.s — 커널이 네트워크 카드로 패킷을 보냅니다.
;ko:
;ko: LENGTH바이트짜리 버퍼 PACKETS개를 채우고, 카드의 버스 마스터링을 켠 뒤(카드가 DMA로
;ko: 메모리를 읽을 수 있게) 하나씩 보냅니다. 패킷 하나를 더 보내는데, 그 버퍼 주소는 RAM 끝을
;ko: 넘어선 잘못된 주소라 카드가 읽지 못하고 오류를 알립니다. 마지막에 커널은 카드가 선으로
;ko: 내보낸 모든 바이트의 체크섬을 읽어 출력합니다.
;ko: 예상 출력: "sent 16, errors 1, wire 1769284096", 종료 코드 0.
;ko:
;ko: 고치지 않은 드라이버(`send_packet`)는 카드의 레지스터를 다룹니다. 주소, 길이, 전송 시작,
;ko: 상태로 패킷마다 레지스터 접근이 네 번입니다. 고친 게스트(`tx_addr`의 게스트 선택)에는
;ko: 대신 virtio 드라이버가 있어, 패킷을 메모리의 링에 넣고 BATCH개마다 한 번 장치에 알립니다.

.equ PACKETS, 16
.equ LENGTH, 64
.equ BATCH, 8
.equ BUFFERS, 0x20000           ; the packets, LENGTH bytes apart
                                ;ko: 패킷들, LENGTH바이트 간격
.equ BAD_BUFFER, 0x200000       ; past the end of RAM (1 MiB)
                                ;ko: RAM(1 MiB) 끝 너머
.equ RING, 0x30000              ; the virtio queue (descriptors, available ring, used ring)
                                ;ko: virtio 큐(디스크립터, 가용 링, 사용 링)
.equ GUEST_tx_addr, 0           ; 1: the virtio driver (the Guest choice on `tx_addr`)
                                ;ko: 1: virtio 드라이버(`tx_addr`의 게스트 선택)

_start:
    mov esp, 0x80000
    mov edi, BUFFERS            ; packet i, byte j = i * 7 + j
                                ;ko: 패킷 i의 바이트 j = i * 7 + j
    xor ebx, ebx
fill_packet:
    xor ecx, ecx
fill_byte:
    mov eax, ebx
    imul eax, 7
    add eax, ecx
    movb [edi], eax
    inc edi
    inc ecx
    cmp ecx, LENGTH
    jb fill_byte
    inc ebx
    cmp ebx, PACKETS
    jb fill_packet
    mov eax, 1
bus_master:
    out 0x5F, eax               ; slot `bus_master`: the card may use DMA (PCI config space)
                                ;ko: 슬롯 `bus_master`: 카드가 DMA를 써도 됨(PCI 설정 공간)
.if GUEST_tx_addr
    call virtio_send_all        ; the modified guest: a virtio driver
                                ;ko: 고친 게스트: virtio 드라이버
.else
    xor esi, esi                ; esi = packet number, ebp = errors
                                ;ko: esi = 패킷 번호, ebp = 오류 수
    xor ebp, ebp
send_next:
    mov ebx, esi
    imul ebx, LENGTH
    add ebx, BUFFERS
    cmp esi, PACKETS
    jb have_buffer
    mov ebx, BAD_BUFFER         ; the last one: the bad address
                                ;ko: 마지막 패킷: 잘못된 주소
have_buffer:
    mov edx, LENGTH
    call send_packet
    add ebp, eax
    inc esi
    cmp esi, PACKETS
    jbe send_next
.endif
    mov esi, s_sent
    call puts
    mov eax, PACKETS
    call print_dec
    mov esi, s_errors
    call puts
    mov eax, ebp
    call print_dec
    mov esi, s_wire
    call puts
    in eax, 0x5C                ; the card's checksum of the wire
                                ;ko: 카드가 계산한 선의 체크섬
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; ebx = buffer, edx = length: send one packet; eax = 0 if it went out, 1 if not
;ko: ebx = 버퍼, edx = 길이: 패킷 하나를 보냄. 나갔으면 eax = 0, 아니면 1
send_packet:
tx_addr:
    out 0x58, ebx               ; slot `tx_addr`: the buffer's address
                                ;ko: 슬롯 `tx_addr`: 버퍼의 주소
tx_len:
    out 0x59, edx               ; slot `tx_len`: its length
                                ;ko: 슬롯 `tx_len`: 그 길이
tx_go:
    out 0x5A, ebx               ; slot `tx_go`: send it
                                ;ko: 슬롯 `tx_go`: 전송 시작
tx_status:
    in eax, 0x5B                ; slot `tx_status`: did it go out?
                                ;ko: 슬롯 `tx_status`: 나갔는가?
    ret

; The virtio driver: every packet becomes a descriptor in the ring; the device is told once
;ko: virtio 드라이버: 패킷마다 링의 디스크립터가 되고, 장치에는 BATCH개마다 한 번 알립니다.
; per BATCH packets. ebp = errors (packets the device returned with length 0).
;ko: ebp = 오류 수(장치가 길이 0으로 돌려준 패킷).
virtio_send_all:
    mov eax, RING
    out 0x5D, eax               ; where the queue is
                                ;ko: 큐가 있는 곳
    mov eax, 1
    mov [RING + 256], eax       ; available ring flags: no interrupt, the driver polls
                                ;ko: 가용 링 플래그: 인터럽트 없음, 드라이버가 직접 확인
    xor esi, esi
    xor ebp, ebp
v_next:
    mov ecx, esi                ; descriptor esi % 16
                                ;ko: 디스크립터 esi % 16
    and ecx, 15
    mov edi, ecx
    shl edi, 4
    add edi, RING
    mov ebx, esi
    imul ebx, LENGTH
    add ebx, BUFFERS
    cmp esi, PACKETS
    jb v_have
    mov ebx, BAD_BUFFER
v_have:
    mov [edi], ebx              ; descriptor: address, length
                                ;ko: 디스크립터: 주소, 길이
    mov eax, LENGTH
    mov [edi + 4], eax
    mov eax, [RING + 260]       ; avail.ring[idx % 16] = the descriptor
                                ;ko: avail.ring[idx % 16] = 이 디스크립터
    mov edx, eax
    and edx, 15
    shl edx, 2
    add edx, RING + 264
    mov [edx], ecx
    inc eax
    mov [RING + 260], eax       ; avail.idx += 1
                                ;ko: avail.idx += 1
    inc esi
    mov edx, esi
    and edx, BATCH - 1
    je v_kick                   ; a full batch: tell the device
                                ;ko: 묶음이 찼으면 장치에 알림
    cmp esi, PACKETS
    jbe v_next
v_kick:
notify:
    out 0x5E, eax               ; the one access that leaves the guest
                                ;ko: 게스트 밖으로 나가는 유일한 접근
v_collect:                      ; count what came back with length 0
                                ;ko: 길이 0으로 돌아온 것을 셈
    mov eax, [collected]
    cmp eax, [RING + 516]       ; used.idx
                                ;ko: used.idx
    je v_collected
    mov edx, eax
    and edx, 15
    shl edx, 3
    add edx, RING + 524         ; used.ring[i].length
                                ;ko: used.ring[i]의 길이
    mov ecx, [edx]
    test ecx, ecx
    jne v_ok
    inc ebp
v_ok:
    inc eax
    mov [collected], eax
    jmp v_collect
v_collected:
    cmp esi, PACKETS
    jbe v_next
    ret

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

.align 4096
collected: .word 0
s_sent:    .asciz "sent "
s_errors:  .asciz ", errors "
s_wire:    .asciz ", wire "
